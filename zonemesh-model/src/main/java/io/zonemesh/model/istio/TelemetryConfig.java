package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Objects;

/**
 * A validated {@code telemetry.istio.io} v1/v1alpha1 {@code Telemetry}: its access-logging rules.
 *
 * @param selector the workload selector; null for a namespace-wide (or, in the root namespace,
 *     mesh-wide) Telemetry
 * @param accessLogging {@code spec.accessLogging}; empty when the resource says nothing about logs
 */
public record TelemetryConfig(
        ResourceMeta meta, @Nullable WorkloadSelector selector, List<AccessLogging> accessLogging) {

    /**
     * One {@code accessLogging} entry.
     *
     * @param providers provider names; empty means the mesh's default providers
     * @param disabled {@code disabled}, null when unset
     */
    public record AccessLogging(
            List<String> providers, @Nullable Boolean disabled) {
        public AccessLogging {
            providers = List.copyOf(providers);
        }
    }

    public TelemetryConfig {
        Objects.requireNonNull(meta, "meta");
        accessLogging = List.copyOf(accessLogging);
    }
}
