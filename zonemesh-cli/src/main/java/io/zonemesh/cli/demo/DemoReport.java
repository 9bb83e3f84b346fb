package io.zonemesh.cli.demo;

import java.util.List;

/**
 * Everything a demo run observed, printed as tables or JSON.
 *
 * @param failures the expectations a demo checked that did not hold, one line each (empty: all held,
 *     or the demo checks none)
 */
public record DemoReport(String scenario, List<String> zones, List<DemoPhase> phases, List<String> failures) {
    public DemoReport {
        zones = List.copyOf(zones);
        phases = List.copyOf(phases);
        failures = List.copyOf(failures);
    }

    /** A report of a demo that checks no expectations. */
    public DemoReport(String scenario, List<String> zones, List<DemoPhase> phases) {
        this(scenario, zones, phases, List.of());
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
        for (String f : failures) {
            sb.append("FAILED ").append(f).append('\n');
        }
        return sb.toString();
    }
}
