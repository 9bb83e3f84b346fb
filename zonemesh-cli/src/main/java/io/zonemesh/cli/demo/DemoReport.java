package io.zonemesh.cli.demo;

import java.util.List;

/** Everything a demo run observed, printed as tables or JSON. */
public record DemoReport(String scenario, List<String> zones, List<DemoPhase> phases) {
    public DemoReport {
        zones = List.copyOf(zones);
        phases = List.copyOf(phases);
    }

    public DemoPhase phase(String id) {
        return phases.stream()
                .filter(p -> p.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no phase " + id));
    }

    public String toText() {
        StringBuilder sb = new StringBuilder("zonemesh demo: ").append(scenario).append("\n\n");
        for (DemoPhase p : phases) {
            sb.append(p.toText(zones)).append('\n');
        }
        return sb.toString();
    }
}
