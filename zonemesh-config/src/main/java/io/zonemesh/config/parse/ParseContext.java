package io.zonemesh.config.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.config.decode.FieldProblem;
import io.zonemesh.model.istio.ResourceMeta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a resource parser reports into while it converts one resource: every problem with its
 * field path, plus helpers for the checks that recur across Istio's validation functions.
 */
public final class ParseContext {
    /** The duration checks Istio applies. */
    public enum DurationRule {
        /** Istio's {@code ValidateDuration}: at least 1ms, millisecond precision. */
        AT_LEAST_1MS,
        /** Zero allowed (e.g. a route timeout of 0s disables it); millisecond precision. */
        NON_NEGATIVE
    }

    private final ResourceMeta meta;
    private final JsonNode document;
    private final List<FieldProblem> problems = new ArrayList<>();

    /** @param document the document as written, for the few fields fabric8's models cannot hold */
    public ParseContext(ResourceMeta meta, JsonNode document) {
        this.meta = meta;
        this.document = document;
    }

    public ResourceMeta meta() {
        return meta;
    }

    /** The value at {@code path} in the document as written, or null. */
    public @Nullable JsonNode raw(FieldPath path) {
        JsonNode n = document;
        for (Object s : path.segments()) {
            n = n == null ? null : s instanceof Integer i ? n.get(i) : n.get((String) s);
        }
        return n == null || n.isMissingNode() ? null : n;
    }

    public List<FieldProblem> problems() {
        return List.copyOf(problems);
    }

    public void report(DiagnosticCode code, FieldPath path, String message) {
        problems.add(new FieldProblem(code, path, message));
    }

    /** A value validation rejects: {@code message} says what it is and what was expected. */
    public void invalid(FieldPath path, String message) {
        report(DiagnosticCode.INVALID_VALUE, path, message);
    }

    /** A required field that is missing or empty. */
    public void missing(FieldPath path, String expected) {
        report(DiagnosticCode.MISSING_FIELD, path, "missing (expected: " + expected + ")");
    }

    /** Something Istio accepts with a warning. */
    public void warn(FieldPath path, String message) {
        report(DiagnosticCode.VALIDATION_WARNING, path, message);
    }

    /** A valid Istio field zonemesh ignores. */
    public void unsupported(FieldPath path, String what) {
        report(DiagnosticCode.UNSUPPORTED_FIELD, path, "ignored: zonemesh does not implement " + what);
    }

    /** Reports the field as missing when {@code value} is null or empty; returns whether it is set. */
    public boolean require(FieldPath path, @Nullable String value, String expected) {
        if (value == null || value.isEmpty()) {
            missing(path, expected);
            return false;
        }
        return true;
    }

    /** Parses and checks a duration; null when unset or invalid (and then reported). */
    public @Nullable Duration duration(FieldPath path, @Nullable String value, DurationRule rule) {
        if (value == null) {
            return null;
        }
        Duration d;
        try {
            d = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            invalid(path, String.valueOf(e.getMessage()));
            return null;
        }
        if (d.isNegative() || (rule == DurationRule.AT_LEAST_1MS && d.compareTo(Duration.ofMillis(1)) < 0)) {
            invalid(
                    path,
                    '"' + value + "\" (expected: a duration of at least "
                            + (rule == DurationRule.AT_LEAST_1MS ? "1ms" : "0s") + ")");
            return null;
        }
        if (d.toNanosPart() % 1_000_000 != 0) {
            invalid(path, '"' + value + "\" (expected: millisecond precision; Envoy ignores finer units)");
            return null;
        }
        return d;
    }

    /** An integer that must be at least {@code min}; null when unset or invalid. */
    public @Nullable Integer atLeast(FieldPath path, @Nullable Number value, int min) {
        return range(path, value, min, Integer.MAX_VALUE);
    }

    /** An integer in {@code [min, max]}; null when unset or invalid. */
    public @Nullable Integer range(FieldPath path, @Nullable Number value, long min, long max) {
        if (value == null) {
            return null;
        }
        long v = value.longValue();
        if (v < min || v > max) {
            invalid(path, v + " (expected: " + (max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max) + ")");
            return null;
        }
        return (int) v;
    }

    /** A port number 1..65535; null when unset or invalid. */
    public @Nullable Integer port(FieldPath path, @Nullable Number value) {
        return range(path, value, 1, 65535);
    }

    /** A percentage 0..100 (Istio's {@code ValidatePercent}); null when unset or invalid. */
    public @Nullable Integer percent(FieldPath path, @Nullable Number value) {
        return range(path, value, 0, 100);
    }

    /** A fractional percentage 0..100; null when unset or invalid. */
    public @Nullable Double percentage(FieldPath path, @Nullable Double value) {
        if (value == null) {
            return null;
        }
        if (value.isNaN() || value < 0 || value > 100) {
            invalid(path, value + " (expected: 0..100)");
            return null;
        }
        return value;
    }
}
