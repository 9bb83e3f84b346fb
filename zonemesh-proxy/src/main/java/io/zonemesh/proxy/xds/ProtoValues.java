package io.zonemesh.proxy.xds;

import com.google.protobuf.UInt32Value;
import io.zonemesh.common.Nullable;
import java.time.Duration;

/** Reads optional proto fields with Envoy's defaults, recording invalid values. */
final class ProtoValues {
    private ProtoValues() {}

    /**
     * A protobuf Duration as a {@link Duration}, or null (after recording an error) when its
     * seconds and nanos are out of range or of different signs, or when it is negative.
     */
    static @Nullable Duration duration(com.google.protobuf.Duration proto, ValidationErrors errors, String field) {
        long seconds = proto.getSeconds();
        int nanos = proto.getNanos();
        boolean valid = seconds >= -315_576_000_000L
                && seconds <= 315_576_000_000L
                && nanos > -1_000_000_000
                && nanos < 1_000_000_000
                && !(seconds < 0 && nanos > 0)
                && !(seconds > 0 && nanos < 0);
        if (!valid || seconds < 0 || nanos < 0) {
            errors.add(field, seconds + "s " + nanos + "ns", "a non-negative duration");
            return null;
        }
        return Duration.ofSeconds(seconds, nanos);
    }

    /** The wrapped value, or {@code defaultValue} when the field is unset. */
    static int uint32(boolean present, UInt32Value value, int defaultValue) {
        if (!present) {
            return defaultValue;
        }
        // UInt32 values above Integer.MAX_VALUE (Istio's MaxUint32 circuit breakers) saturate.
        long unsigned = Integer.toUnsignedLong(value.getValue());
        return (int) Math.min(unsigned, Integer.MAX_VALUE);
    }

    /**
     * A metadata value in a form that is equal exactly when the values are: a string as it is,
     * anything else as a NUL followed by its text format (no string starts with NUL in practice,
     * so the string "1" and the number 1 stay apart, as in Envoy's {@code ValueUtil::equal}).
     */
    static String text(com.google.protobuf.Value value) {
        return value.hasStringValue()
                ? value.getStringValue()
                : "\u0000" + com.google.protobuf.TextFormat.shortDebugString(value);
    }
}
