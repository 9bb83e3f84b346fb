package io.zonemesh.proxy.accesslog;

import io.zonemesh.common.Nullable;
import java.util.ArrayList;
import java.util.List;

/**
 * An Envoy format string compiled once into literal text and command operators, as Envoy's
 * {@code SubstitutionFormatParser}: {@code %NAME%}, {@code %NAME(arg)%}, {@code %NAME(arg):N%}
 * (N = maximum length), {@code %%} for a literal percent sign. A value that does not apply
 * prints {@code -}, or nothing with {@code omit_empty_values}.
 */
public final class TextFormat implements LogFormatter {
    /** Envoy's default format when an access logger names none. */
    public static final String ENVOY_DEFAULT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
            + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
            + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
            + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"\n";

    private final String source;
    /** Each part is a String literal or a CommandOperator. */
    private final List<Object> parts;

    private final boolean omitEmptyValues;

    private TextFormat(String source, List<Object> parts, boolean omitEmptyValues) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.omitEmptyValues = omitEmptyValues;
    }

    /** Compiles {@code format}; a {@link FormatException} names the operator or position at fault. */
    public static TextFormat compile(String format, boolean omitEmptyValues) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < format.length() && format.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
                continue;
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            i = operator(format, i, parts);
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new TextFormat(format, parts, omitEmptyValues);
    }

    /** Parses the operator starting at {@code start} (a {@code %}); returns the index after it. */
    private static int operator(String format, int start, List<Object> parts) {
        int i = start + 1;
        while (i < format.length()
                && (Character.isUpperCase(format.charAt(i))
                        || format.charAt(i) == '_'
                        || Character.isDigit(format.charAt(i)))) {
            i++;
        }
        String name = format.substring(start + 1, i);
        String argument = null;
        if (i < format.length() && format.charAt(i) == '(') {
            int close = format.indexOf(')', i);
            if (close < 0) {
                throw invalid(format, start);
            }
            argument = format.substring(i + 1, close);
            i = close + 1;
        }
        int maxLength = -1;
        if (i < format.length() && format.charAt(i) == ':') {
            int digits = i + 1;
            while (digits < format.length() && Character.isDigit(format.charAt(digits))) {
                digits++;
            }
            if (digits == i + 1 || digits - i > 10) {
                throw invalid(format, start);
            }
            maxLength = Integer.parseInt(format.substring(i + 1, digits));
            i = digits;
        }
        if (name.isEmpty() || i >= format.length() || format.charAt(i) != '%') {
            throw invalid(format, start);
        }
        parts.add(CommandOperators.compile(name, argument, maxLength));
        return i + 1;
    }

    private static FormatException invalid(String format, int position) {
        // Envoy: "Incorrect configuration: <format>. Couldn't find valid command at position <n>".
        return new FormatException("no valid command operator at position " + position + " of \"" + format + "\"");
    }

    @Override
    public String format(AccessLogEntry entry) {
        StringBuilder line = new StringBuilder(256);
        for (Object part : parts) {
            if (part instanceof String literal) {
                line.append(literal);
            } else {
                Object value = ((CommandOperator) part).extract(entry);
                line.append(value != null ? value.toString() : omitEmptyValues ? "" : "-");
            }
        }
        return line.toString();
    }

    /**
     * Envoy's typed JSON value of this format: the operator's own type when the format is exactly
     * one operator, else the text with {@code -} (or "" with {@code omit_empty_values}) for what
     * does not apply. Null for a lone operator without a value.
     */
    @Nullable
    Object typed(AccessLogEntry entry) {
        if (parts.size() == 1 && parts.get(0) instanceof CommandOperator operator) {
            return operator.extract(entry);
        }
        return format(entry);
    }

    /** Two formats compiled from the same source print the same lines (snapshots compare listeners). */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof TextFormat that
                && source.equals(that.source)
                && omitEmptyValues == that.omitEmptyValues;
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + Boolean.hashCode(omitEmptyValues);
    }

    @Override
    public String toString() {
        return source;
    }
}
