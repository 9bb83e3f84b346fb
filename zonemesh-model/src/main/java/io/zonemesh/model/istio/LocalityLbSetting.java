package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code localityLbSetting}. {@code enabled} is null when unset (which counts as enabled for a
 * DestinationRule-level setting, LOCALITY.md §1.7).
 */
public record LocalityLbSetting(
        @Nullable Boolean enabled,
        List<Distribute> distribute,
        List<Failover> failover,
        List<String> failoverPriority) {

    public LocalityLbSetting {
        distribute = List.copyOf(distribute);
        failover = List.copyOf(failover);
        failoverPriority = List.copyOf(failoverPriority);
    }

    public boolean isDisabled() {
        return Boolean.FALSE.equals(enabled);
    }

    /** {@code distribute[]}: {@code to} keeps the order it was written in. */
    public record Distribute(String from, Map<String, Integer> to) {
        public Distribute {
            Objects.requireNonNull(from, "from");
            to = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(to));
        }
    }

    /** {@code failover[]}: region to region. */
    public record Failover(String from, String to) {}
}
