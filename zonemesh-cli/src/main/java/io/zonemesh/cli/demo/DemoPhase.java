package io.zonemesh.cli.demo;

import java.util.List;

/** One phase of a demo: what was done and what each client saw. */
public record DemoPhase(String id, String title, List<ZoneCounts> clients, List<String> notes) {
    public DemoPhase {
        clients = List.copyOf(clients);
        notes = List.copyOf(notes);
    }

    public ZoneCounts client(String name) {
        return clients.stream().filter(c -> c.client().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no client " + name));
    }

    /** A table: one row per client, one column per zone, errors and cross-zone share. */
    public String toText(List<String> zones) {
        StringBuilder sb = new StringBuilder();
        sb.append("Phase (").append(id).append(") ").append(title).append('\n');
        sb.append(String.format("  %-20s", "client"));
        for (String z : zones) {
            sb.append(String.format("%8s", z));
        }
        sb.append(String.format("%8s%12s%n", "errors", "cross-zone"));
        for (ZoneCounts c : clients) {
            sb.append(String.format("  %-20s", c.client() + " (" + c.zone() + ")"));
            for (String z : zones) {
                sb.append(String.format("%8d", c.inZone(z)));
            }
            sb.append(String.format("%8d%11.1f%%%n", c.errors(), c.crossZonePercent()));
        }
        for (String n : notes) {
            sb.append("  ").append(n).append('\n');
        }
        return sb.toString();
    }
}
