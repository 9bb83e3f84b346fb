package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.util.Map;

/** A validated {@code WorkloadEntry}: a VM or a local process joining the mesh. */
public record WorkloadEntryConfig(ResourceMeta meta, Spec spec) {

    /** The WorkloadEntry body, also used for ServiceEntry {@code endpoints[]}. */
    public record Spec(
            String address,
            Map<String, Integer> ports,
            Map<String, String> labels,
            @Nullable String network,
            @Nullable String locality,
            @Nullable Integer weight,
            @Nullable String serviceAccount) {
        public Spec {
            ports = Map.copyOf(ports);
            labels = Map.copyOf(labels);
        }
    }
}
