package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.Objects;

/**
 * The fault filter's {@code HTTPFault} (filter-wide or a route's {@code typed_per_filter_config}):
 * a fixed delay and an abort, each applied to its fraction of requests.
 */
public record FaultConfig(@Nullable Delay delay, @Nullable Abort abort) {

    /** The filter without faults (Istio's filter-wide config). */
    public static final FaultConfig NONE = new FaultConfig(null, null);

    /** {@code delay.fixed_delay} for {@code delay.percentage} of requests (response flag DI). */
    public record Delay(Duration fixedDelay, Fraction percentage) {
        public Delay {
            Objects.requireNonNull(fixedDelay, "fixedDelay");
            if (fixedDelay.isNegative()) {
                throw new IllegalArgumentException("fixedDelay: " + fixedDelay + " (expected: >= 0)");
            }
            Objects.requireNonNull(percentage, "percentage");
        }
    }

    /** A local reply with {@code abort.http_status} for {@code abort.percentage} of requests (flag FI). */
    public record Abort(int httpStatus, Fraction percentage) {
        public Abort {
            if (httpStatus < 200 || httpStatus > 599) {
                throw new IllegalArgumentException("httpStatus: " + httpStatus + " (expected: 200..599)");
            }
            Objects.requireNonNull(percentage, "percentage");
        }
    }
}
