package io.zonemesh.proxy.accesslog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The {@code strftime} subset Envoy's {@code %START_TIME(...)%} accepts that access-log formats use,
 * compiled once: {@code %Y %m %d %H %M %S %y %j %F %T %z %Z %s %%}, Envoy's fractional seconds
 * {@code %E<n>S} (seconds with n digits) and {@code %<n>f} (n digits, {@code %f} = 9). Times are
 * UTC, as Envoy formats them by default. Any other specifier is a {@link FormatException}.
 */
final class StartTimeFormat {
    /** Envoy's default {@code %START_TIME%} format, e.g. {@code 2016-04-15T20:17:00.310Z}. */
    static final String ENVOY_DEFAULT = "%Y-%m-%dT%H:%M:%E3SZ";

    private final List<BiConsumer<ZonedDateTime, StringBuilder>> parts;

    private StartTimeFormat(List<BiConsumer<ZonedDateTime, StringBuilder>> parts) {
        this.parts = List.copyOf(parts);
    }

    static StartTimeFormat compile(String pattern) {
        List<BiConsumer<ZonedDateTime, StringBuilder>> parts = new ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 == pattern.length()) {
                parts.add((t, out) -> out.append(c));
                continue;
            }
            int digits = -1;
            int j = i + 1;
            boolean extended = pattern.charAt(j) == 'E';
            if (extended) {
                j++;
            }
            if (j < pattern.length() && Character.isDigit(pattern.charAt(j))) {
                digits = pattern.charAt(j) - '0';
                j++;
            }
            if (j >= pattern.length()) {
                throw new FormatException("START_TIME format " + pattern + ": incomplete specifier at " + i);
            }
            parts.add(specifier(pattern, i, pattern.charAt(j), extended, digits));
            i = j;
        }
        return new StartTimeFormat(parts);
    }

    private static BiConsumer<ZonedDateTime, StringBuilder> specifier(
            String pattern, int at, char c, boolean extended, int digits) {
        if (extended && c == 'S') {
            int n = digits < 0 ? 9 : digits;
            return (t, out) -> fraction(pad(out, t.getSecond(), 2).append(n == 0 ? "" : "."), t, n);
        }
        if (c == 'f' && !extended) {
            int n = digits < 0 ? 9 : digits;
            return (t, out) -> fraction(out, t, n);
        }
        if (extended || digits >= 0) {
            throw new FormatException("START_TIME format " + pattern + ": unsupported specifier at " + at);
        }
        return switch (c) {
            case 'Y' -> (t, out) -> out.append(t.getYear());
            case 'y' -> (t, out) -> pad(out, t.getYear() % 100, 2);
            case 'm' -> (t, out) -> pad(out, t.getMonthValue(), 2);
            case 'd' -> (t, out) -> pad(out, t.getDayOfMonth(), 2);
            case 'j' -> (t, out) -> pad(out, t.getDayOfYear(), 3);
            case 'H' -> (t, out) -> pad(out, t.getHour(), 2);
            case 'M' -> (t, out) -> pad(out, t.getMinute(), 2);
            case 'S' -> (t, out) -> pad(out, t.getSecond(), 2);
            case 'F' ->
                (t, out) -> pad(
                        pad(out.append(t.getYear()).append('-'), t.getMonthValue(), 2)
                                .append('-'),
                        t.getDayOfMonth(),
                        2);
            case 'T' ->
                (t, out) -> pad(
                        pad(pad(out, t.getHour(), 2).append(':'), t.getMinute(), 2)
                                .append(':'),
                        t.getSecond(),
                        2);
            case 'z' -> (t, out) -> out.append("+0000");
            case 'Z' -> (t, out) -> out.append("UTC");
            case 's' -> (t, out) -> out.append(t.toEpochSecond());
            case '%' -> (t, out) -> out.append('%');
            default ->
                throw new FormatException(
                        "START_TIME format " + pattern + ": unsupported specifier %" + c + " at " + at);
        };
    }

    String format(long epochMillis) {
        ZonedDateTime time = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(32);
        for (BiConsumer<ZonedDateTime, StringBuilder> part : parts) {
            part.accept(time, out);
        }
        return out.toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    private static StringBuilder fraction(StringBuilder out, ZonedDateTime t, int digits) {
        String nanos = Integer.toString(t.getNano());
        StringBuilder all = new StringBuilder(9);
        for (int i = nanos.length(); i < 9; i++) {
            all.append('0');
        }
        all.append(nanos);
        return out.append(all, 0, Math.min(digits, 9));
    }
}
