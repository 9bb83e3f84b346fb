package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.util.List;

/** A validated {@code ServiceEntry}. */
public record ServiceEntryConfig(
        ResourceMeta meta,
        List<String> hosts,
        List<String> addresses,
        List<Port> ports,
        Location location,
        Resolution resolution,
        List<WorkloadEntryConfig.Spec> endpoints,
        @Nullable WorkloadSelector workloadSelector,
        List<String> exportTo,
        List<String> subjectAltNames) {

    /** {@code location}. */
    public enum Location {
        MESH_EXTERNAL,
        MESH_INTERNAL
    }

    /** {@code resolution}. */
    public enum Resolution {
        NONE,
        STATIC,
        DNS,
        DNS_ROUND_ROBIN
    }

    /** {@code ports[]}. */
    public record Port(
            int number,
            String protocol,
            String name,
            @Nullable Integer targetPort) {}

    public ServiceEntryConfig {
        hosts = List.copyOf(hosts);
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
        exportTo = List.copyOf(exportTo);
        subjectAltNames = List.copyOf(subjectAltNames);
    }
}
