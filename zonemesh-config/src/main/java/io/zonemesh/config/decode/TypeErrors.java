package io.zonemesh.config.decode;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.zonemesh.common.Nullable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns Jackson's failure to read a value into a path and a "value (expected: ...)" message. */
final class TypeErrors {
    private TypeErrors() {}

    /** The document path of the failing value; fabric8's synthetic oneof properties are left out. */
    static FieldPath pathOf(JsonMappingException e) {
        FieldPath p = FieldPath.ROOT;
        for (JsonMappingException.Reference r : e.getPath()) {
            String name = r.getFieldName();
            if (name != null) {
                Object from = r.getFrom();
                Class<?> type = from instanceof Class<?> c ? c : from == null ? Object.class : from.getClass();
                if (!OneofFields.of(type).syntheticNames().contains(name)) {
                    p = p.field(name);
                }
            } else if (r.getIndex() >= 0) {
                p = p.index(r.getIndex());
            }
        }
        return p;
    }

    /**
     * Istio's {@code google.protobuf.Duration} fields, which fabric8 types as plain strings; a
     * bare number there needs a unit, not quotes.
     */
    private static final Set<String> DURATION_FIELDS = Set.of(
            "interval",
            "baseEjectionTime",
            "timeout",
            "perTryTimeout",
            "connectTimeout",
            "idleTimeout",
            "maxConnectionDuration",
            "fixedDelay",
            "backoff",
            "ttl",
            "time",
            "duration",
            "warmupDurationSecs",
            "exponentialDelay");

    static String message(JsonMappingException e, FieldPath path, @Nullable JsonNode value) {
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        String expected = target == null ? null : expected(target);
        if (expected == null) {
            String detail = e.getOriginalMessage();
            int newline = detail.indexOf('\n');
            return JsonNodes.describe(value) + " cannot be read: "
                    + (newline < 0 ? detail : detail.substring(0, newline));
        }
        boolean scalar = value != null && value.isValueNode() && !value.isTextual();
        if (value != null && scalar && target == String.class && isDurationField(path)) {
            return JsonNodes.describe(value) + " (expected: a duration with a unit, e.g. " + value.asText() + "s)";
        }
        String hint = scalar && target == String.class ? "; quote it to make it a string" : "";
        return JsonNodes.describe(value) + " (expected: " + expected + hint + ")";
    }

    private static boolean isDurationField(FieldPath path) {
        List<Object> segments = path.segments();
        return !segments.isEmpty() && DURATION_FIELDS.contains(String.valueOf(segments.get(segments.size() - 1)));
    }

    private static @Nullable String expected(Class<?> target) {
        if (target == Integer.class
                || target == int.class
                || target == Long.class
                || target == long.class
                || target == Short.class
                || target == short.class) {
            return "an integer";
        }
        if (target == Double.class || target == double.class || target == Float.class || target == float.class) {
            return "a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target.isEnum()) {
            return "one of " + StrictEnumDeserializer.names(target);
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(target) || target.getName().startsWith("io.fabric8.")) {
            return "a mapping";
        }
        return null;
    }
}
