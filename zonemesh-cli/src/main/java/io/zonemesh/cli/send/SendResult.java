package io.zonemesh.cli.send;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of each distinct response line, and of errors by cause (an HTTP status other than
 * 2xx, or a transport failure).
 */
public record SendResult(int total, int errors, Map<String, Integer> responses, Map<String, Integer> errorCauses) {

    public SendResult {
        responses = Collections.unmodifiableMap(new TreeMap<>(responses));
        errorCauses = Collections.unmodifiableMap(new TreeMap<>(errorCauses));
    }

    /** The number of responses whose line contains {@code fragment}. */
    public int countContaining(String fragment) {
        int n = 0;
        for (Map.Entry<String, Integer> e : responses.entrySet()) {
            if (e.getKey().contains(fragment)) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** {@code {"total":N,"errors":E,"responses":{...}}} plus the error causes. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("errors", errors);
        out.put("responses", responses);
        out.put("errorCauses", errorCauses);
        return out;
    }

    /** Human-readable: one line per distinct response, most frequent first. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        responses.entrySet().stream()
                .sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%6d  %s%n", e.getValue(), e.getKey())));
        errorCauses.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%6d  error: %s%n", v, k)));
        sb.append(String.format(Locale.ROOT, "total %d, errors %d%n", total, errors));
        return sb.toString();
    }
}
