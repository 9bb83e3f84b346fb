package io.zonemesh.common.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (0.0.4) into samples, by its grammar: blank lines
 * and comments skipped, {@code # TYPE} lines remembered, {@code name{label="value",...} value
 * [timestamp]} with the format's escapes ({@code \\}, {@code \"}, {@code \n}) and
 * {@code NaN}/{@code +Inf}/{@code -Inf}. A line outside the grammar is an error naming the line,
 * never skipped; so is a family declared twice.
 *
 * <p>The Prometheus Java client (1.x) and Micrometer write this format but ship no reader (Go's
 * {@code expfmt.TextParser} and Python's {@code text_string_to_metric_families} have no Java
 * counterpart), so this one is written to the format's EBNF. {@code zonemesh top} reads proxies'
 * pages with it; tests check with {@link #parseDeclared} that a page is well formed.
 */
public final class PrometheusText {
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_created", "_total");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            labels = Map.copyOf(labels);
        }

        /** The label's value, "" when the sample has no such label. */
        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private final String line;
    private int at;

    private PrometheusText(String line) {
        this.line = line;
    }

    /**
     * The samples of a page; samples without a {@code # TYPE} (untyped) are allowed, as the format allows.
     *
     * @throws IllegalArgumentException naming the line number and text that break the format
     */
    public static List<Sample> parse(String text) {
        return parse(text, false);
    }

    /**
     * As {@link #parse}, and every sample must belong to a family declared before it by a
     * {@code # TYPE} line (its name, or the name plus a suffix its type allows), as every page a
     * Prometheus client library writes does.
     */
    public static List<Sample> parseDeclared(String text) {
        return parse(text, true);
    }

    private static List<Sample> parse(String text, boolean declared) {
        Map<String, String> types = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            try {
                if (line.startsWith("# TYPE ")) {
                    declare(line.substring("# TYPE ".length()), types);
                } else if (!line.isEmpty() && !line.startsWith("#")) {
                    Sample sample = new PrometheusText(line).sample();
                    if (declared) {
                        requireFamily(sample.name(), types);
                    }
                    samples.add(sample);
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException(
                        "line " + (n + 1) + ": '" + line + "' (expected: a Prometheus text-format line: "
                                + e.getMessage() + ")",
                        e);
            }
        }
        return samples;
    }

    private static void declare(String declaration, Map<String, String> types) {
        String[] parts = declaration.strip().split(" ", -1);
        if (parts.length != 2
                || !List.of("counter", "gauge", "histogram", "summary", "untyped")
                        .contains(parts[1])) {
            throw new IllegalArgumentException(
                    "a TYPE line names a family and one of counter, gauge, histogram, " + "summary, untyped");
        }
        if (types.put(parts[0], parts[1]) != null) {
            throw new IllegalArgumentException("family " + parts[0] + " declared twice");
        }
    }

    private static void requireFamily(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return;
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix)) {
                String type = types.get(name.substring(0, name.length() - suffix.length()));
                if (type != null && (type.equals("histogram") || type.equals("summary") || suffix.equals("_total"))) {
                    return;
                }
            }
        }
        throw new IllegalArgumentException("sample of no declared family: " + name);
    }

    private Sample sample() {
        String name = name(true);
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            skipBlanks();
            while (line.charAt(at) != '}') {
                String label = name(false);
                skipBlanks();
                expect('=');
                skipBlanks();
                if (labels.put(label, quoted()) != null) {
                    throw new IllegalArgumentException("label " + label + " given twice");
                }
                skipBlanks();
                if (line.charAt(at) == ',') {
                    at++;
                    skipBlanks();
                } else if (line.charAt(at) != '}') {
                    throw new IllegalArgumentException("',' or '}' at column " + (at + 1));
                }
            }
            at++;
        }
        if (at >= line.length() || !isBlank(line.charAt(at))) {
            throw new IllegalArgumentException("a blank before the value at column " + (at + 1));
        }
        skipBlanks();
        double value = value(token());
        skipBlanks();
        if (at < line.length()) {
            Long.parseLong(token()); // the optional timestamp, unused
        }
        if (at < line.length()) {
            throw new IllegalArgumentException("nothing after the value and timestamp");
        }
        return new Sample(name, labels, value);
    }

    /** The characters up to the next blank or the end. */
    private String token() {
        int start = at;
        while (at < line.length() && !isBlank(line.charAt(at))) {
            at++;
        }
        String token = line.substring(start, at);
        skipBlanks();
        return token;
    }

    private static double value(String v) {
        return switch (v) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    /** A metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}) or a label name (no colons). */
    private String name(boolean metric) {
        int start = at;
        while (at < line.length()) {
            char c = line.charAt(at);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':');
            if (!letter && !(at > start && c >= '0' && c <= '9')) {
                break;
            }
            at++;
        }
        if (at == start) {
            throw new IllegalArgumentException((metric ? "a metric" : "a label") + " name at column " + (start + 1));
        }
        return line.substring(start, at);
    }

    private String quoted() {
        expect('"');
        StringBuilder value = new StringBuilder();
        for (char c = line.charAt(at++); c != '"'; c = line.charAt(at++)) {
            if (c == '\\') {
                char escaped = line.charAt(at++);
                value.append(escaped == 'n' ? '\n' : escaped);
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    private void expect(char c) {
        if (line.charAt(at) != c) {
            throw new IllegalArgumentException("'" + c + "' at column " + (at + 1));
        }
        at++;
    }

    private void skipBlanks() {
        while (at < line.length() && isBlank(line.charAt(at))) {
            at++;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
