package io.zonemesh.config.parse;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Parses durations the way Istio reads them from YAML: Go's {@code time.ParseDuration} syntax,
 * so {@code 100ms}, {@code 1s}, {@code 0.5s}, {@code 1m}, {@code 1h} and {@code 1h30m} all work,
 * as does the protobuf JSON form {@code 1.5s}. A bare {@code 0} is zero.
 */
public final class Durations {
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns",
            1L,
            "us",
            1_000L,
            "µs",
            1_000L,
            "μs",
            1_000L,
            "ms",
            1_000_000L,
            "s",
            1_000_000_000L,
            "m",
            60_000_000_000L,
            "h",
            3_600_000_000_000L);

    private Durations() {}

    /**
     * The duration {@code text} stands for.
     *
     * @throws IllegalArgumentException with a {@code "value (expected: ...)"} message
     */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int numberStart = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(numberStart, i);
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            Long unit = NANOS_PER_UNIT.get(s.substring(unitStart, i));
            if (number.isEmpty()
                    || number.equals(".")
                    || number.indexOf('.') != number.lastIndexOf('.')
                    || unit == null) {
                throw invalid(text);
            }
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
        }
        try {
            long n = nanos.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
            return Duration.ofNanos(negative ? -n : n);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException('"' + text + "\" (expected: a duration that fits in 292 years)");
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException('"' + text + "\" (expected: a duration such as 100ms, 1s, 0.5s, 1m or 1h)");
    }
}
