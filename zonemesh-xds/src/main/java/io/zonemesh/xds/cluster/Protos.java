package io.zonemesh.xds.cluster;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;

/** Small conversions to protobuf well-known types. */
public final class Protos {
    /** Envoy's "unlimited" for circuit breaker thresholds; Istio's default (LOCALITY.md §4.1). */
    public static final UInt32Value MAX_UINT32 = UInt32Value.of((int) 0xFFFF_FFFFL);

    private Protos() {}

    public static Duration duration(java.time.Duration d) {
        return Duration.newBuilder()
                .setSeconds(d.getSeconds())
                .setNanos(d.getNano())
                .build();
    }

    public static UInt32Value uint32(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("value: " + value + " (expected: 0-4294967295)");
        }
        return UInt32Value.of((int) value);
    }
}
