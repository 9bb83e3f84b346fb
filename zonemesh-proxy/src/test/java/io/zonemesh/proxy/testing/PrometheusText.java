package io.zonemesh.proxy.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests. Neither the
 * Prometheus Java client (1.x writes the text format but reads none) nor Micrometer ships a text
 * parser, so this one follows the format's grammar and refuses anything outside it: a sample
 * before its family's {@code # TYPE}, a sample name that is not its family's name or one of the
 * type's suffixes, a malformed label set or value, a family declared twice.
 */
public final class PrometheusText {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusText() {}

    /** @throws IllegalArgumentException naming the line that breaks the format */
    public static List<Sample> parse(String text) {
        Map<String, String> types = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            try {
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ", -1);
                    if (parts.length != 2 || !parts[1].matches("counter|gauge|histogram|summary|untyped")) {
                        throw new IllegalArgumentException("bad TYPE");
                    }
                    if (types.put(parts[0], parts[1]) != null) {
                        throw new IllegalArgumentException("family declared twice: " + parts[0]);
                    }
                } else if (!line.startsWith("#")) {
                    Sample sample = sample(line);
                    family(sample.name(), types);
                    samples.add(sample);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (n + 1) + ": " + line + " (" + e.getMessage() + ")", e);
            }
        }
        return samples;
    }

    private static void family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_created", "_total")) {
            if (name.endsWith(suffix)) {
                String type = types.get(name.substring(0, name.length() - suffix.length()));
                if (type != null && (type.equals("histogram") || type.equals("summary") || suffix.equals("_total"))) {
                    return;
                }
            }
        }
        throw new IllegalArgumentException("sample of no declared family: " + name);
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || "_:".indexOf(line.charAt(i)) >= 0)) {
            i++;
        }
        String name = line.substring(0, i);
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*") || line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("bad label at " + i);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        value.append(e == 'n' ? '\n' : e);
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("label twice: " + label);
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        if (line.charAt(i) != ' ') {
            throw new IllegalArgumentException("expected a space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length > 2) {
            throw new IllegalArgumentException("trailing fields");
        }
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        String v = rest[0];
        double value = v.equals("+Inf")
                ? Double.POSITIVE_INFINITY
                : v.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v);
        return new Sample(name, Map.copyOf(labels), value);
    }
}
