package io.zonemesh.registry;

import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code discovery.k8s.io/v1} EndpointSlices of a Kubernetes source, reduced to what the
 * registry reads, grouped by the Service they belong to ({@code kubernetes.io/service-name}).
 * When a registry has them, a Kubernetes Service's endpoints come from its slices (as istiod's
 * do), not from the pods its selector picks.
 *
 * @param byService slices keyed by {@code namespace/serviceName}
 */
public record EndpointSlices(Map<String, List<Slice>> byService) {

    public EndpointSlices {
        byService = Map.copyOf(byService);
    }

    /** The slices of one Service, empty when it has none. */
    public List<Slice> of(String namespace, String serviceName) {
        return byService.getOrDefault(namespace + "/" + serviceName, List.of());
    }

    /** One slice: its ports (by name; "" for the unnamed port) and endpoints. */
    public record Slice(String name, List<Port> ports, List<Entry> endpoints) {
        public Slice {
            Objects.requireNonNull(name, "name");
            ports = List.copyOf(ports);
            endpoints = List.copyOf(endpoints);
        }
    }

    /** A slice port: the Service port's name and the port endpoints listen on. */
    public record Port(String name, int port) {
        public Port {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * One endpoint of a slice. The conditions are Kubernetes' three, with a missing one already
     * resolved the way the API documents it (ready and serving default to true, terminating to false).
     *
     * @param podName the {@code targetRef} name when it refers to a Pod, else null
     * @param nodeName {@code nodeName}, or ""
     */
    public record Entry(
            List<String> addresses,
            @Nullable String podName,
            String nodeName,
            boolean ready,
            boolean serving,
            boolean terminating) {
        public Entry {
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(nodeName, "nodeName");
        }
    }
}
