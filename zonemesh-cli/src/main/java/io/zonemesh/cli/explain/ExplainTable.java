package io.zonemesh.cli.explain;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a {@code /debug/explain} answer as a table: one line per endpoint, the locality's
 * priority, weight and rule on its first line; localities the assignment leaves out last, with
 * priority {@code -}.
 */
final class ExplainTable {
    private static final String[] HEADER = {"PRIORITY", "LOCALITY", "WEIGHT", "ENDPOINT", "HEALTH", "RULE"};

    private ExplainTable() {}

    static void print(JsonNode explanation, PrintWriter out) {
        out.println("cluster " + explanation.path("cluster").asText() + " as seen by "
                + explanation.path("proxy").asText() + " (locality "
                + explanation.path("proxyLocality").asText() + ")");
        out.println("setting: " + explanation.path("setting").asText());
        explanation.path("clusterReasons").forEach(r -> out.println("note: " + r.asText()));
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        rows(explanation.path("rows"), false, lines);
        rows(explanation.path("excluded"), true, lines);
        int[] widths = new int[HEADER.length - 1];
        for (String[] line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                b.append(String.format(Locale.ROOT, "%-" + widths[i] + "s  ", line[i]));
            }
            out.println(b.append(line[widths.length]).toString().stripTrailing());
        }
    }

    private static void rows(JsonNode rows, boolean excluded, List<String[]> lines) {
        for (JsonNode row : rows) {
            List<String> reasons = new ArrayList<>();
            row.path("reasons").forEach(r -> reasons.add(r.asText()));
            String rule = reasons.isEmpty() ? "-" : String.join("; ", reasons);
            boolean first = true;
            for (JsonNode e : row.path("endpoints")) {
                lines.add(new String[] {
                    first ? (excluded ? "-" : row.path("priority").asText()) : "",
                    first ? row.path("locality").asText() : "",
                    first ? (excluded ? "0" : row.path("weight").asText()) : "",
                    e.path("address").asText(),
                    e.path("health").asText(),
                    first ? (excluded ? "not sent: " + rule : rule) : ""
                });
                first = false;
            }
        }
    }
}
