package io.zonemesh.cli.top;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (0.0.4) into samples, by its grammar: comment and
 * blank lines skipped, {@code name{label="value",...} value [timestamp]} with the format's
 * escapes ({@code \\}, {@code \"}, {@code \n}) and {@code NaN}/{@code +Inf}/{@code -Inf}.
 *
 * <p>The Prometheus Java client (1.x) and Micrometer write this format but ship no reader (Go's
 * {@code expfmt.TextParser} and Python's {@code text_string_to_metric_families} have no Java
 * counterpart), so this one is written to the format's EBNF; a line outside it is an error naming
 * the line, never skipped.
 */
final class ExpositionText {
    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
        Sample {
            labels = Map.copyOf(labels);
        }

        String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private final String line;
    private int at;

    private ExpositionText(String line) {
        this.line = line;
    }

    /** @throws IllegalArgumentException naming the line number and text that break the format */
    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                samples.add(new ExpositionText(line).sample());
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException(
                        "line " + (n + 1) + ": '" + line + "' (expected: a Prometheus text-format sample: "
                                + e.getMessage() + ")",
                        e);
            }
        }
        return samples;
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
