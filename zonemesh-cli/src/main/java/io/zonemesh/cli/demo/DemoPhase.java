package io.zonemesh.cli.demo;

import java.util.List;
import java.util.Locale;

/** One phase of a demo: what was done and what each client saw. */
public record DemoPhase(String id, String title, List<ZoneCounts> clients, List<String> notes) {
    public DemoPhase {
        clients = List.copyOf(clients);
        notes = List.copyOf(notes);
    }

    public ZoneCounts client(String name) {
        return clients.stream()
                .filter(c -> c.client().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no client " + name));
    }

    /** A table: one row per client, one column per zone (or region), errors and the share from elsewhere. */
    public String toText(List<String> zones) {
        StringBuilder sb = new StringBuilder();
        sb.append("Phase (").append(id).append(") ").append(title).append('\n');
        int clientWidth = "client".length();
        for (ZoneCounts c : clients) {
            clientWidth = Math.max(clientWidth, c.client().length() + c.zone().length() + 3);
        }
        String clientCol = "  %-" + (clientWidth + 2) + "s";
        sb.append(String.format(Locale.ROOT, clientCol, "client"));
        for (String z : zones) {
            sb.append(String.format(Locale.ROOT, "%" + Math.max(8, z.length() + 2) + "s", z));
        }
        sb.append(String.format(Locale.ROOT, "%8s%14s%n", "errors", "not local"));
        for (ZoneCounts c : clients) {
            sb.append(String.format(Locale.ROOT, clientCol, c.client() + " (" + c.zone() + ")"));
            for (String z : zones) {
                sb.append(String.format(Locale.ROOT, "%" + Math.max(8, z.length() + 2) + "d", c.inZone(z)));
            }
            sb.append(String.format(Locale.ROOT, "%8d%13.1f%%%n", c.errors(), c.crossZonePercent()));
        }
        for (String n : notes) {
            sb.append("  ").append(n).append('\n');
        }
        return sb.toString();
    }
}
