package io.zonemesh.model;

import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A destination that callers address by host name: a Kubernetes Service or a ServiceEntry host.
 *
 * @param hostname fully qualified, e.g. {@code helloworld.sample.svc.cluster.local}
 * @param namespace the namespace of the Service or ServiceEntry
 * @param name the resource name (the short name for Kubernetes Services)
 * @param exportTo namespaces that may see it; empty means everywhere ({@code *})
 * @param trafficDistribution Kubernetes {@code spec.trafficDistribution} or the Istio annotation
 * @param serviceAccounts identities the service declares itself, Istio's {@code Service.ServiceAccounts}
 *     (a ServiceEntry's {@code subjectAltNames}); {@link MeshState#serviceAccounts} adds those of its
 *     endpoints
 */
public record Service(
        String hostname,
        String namespace,
        String name,
        List<ServicePort> ports,
        Map<String, String> labels,
        Map<String, String> selector,
        Origin origin,
        Resolution resolution,
        List<String> exportTo,
        @Nullable String trafficDistribution,
        List<String> serviceAccounts) {

    /** A service that declares no identities of its own (Kubernetes Services). */
    public Service(
            String hostname,
            String namespace,
            String name,
            List<ServicePort> ports,
            Map<String, String> labels,
            Map<String, String> selector,
            Origin origin,
            Resolution resolution,
            List<String> exportTo,
            @Nullable String trafficDistribution) {
        this(
                hostname,
                namespace,
                name,
                ports,
                labels,
                selector,
                origin,
                resolution,
                exportTo,
                trafficDistribution,
                List.of());
    }

    /** Where the service came from, which decides its default resolution and naming rules. */
    public enum Origin {
        KUBERNETES,
        SERVICE_ENTRY_INTERNAL,
        SERVICE_ENTRY_EXTERNAL
    }

    /** How the proxy finds the service's endpoints. */
    public enum Resolution {
        EDS,
        STATIC,
        DNS,
        DNS_ROUND_ROBIN,
        PASSTHROUGH
    }

    public Service {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        ports = List.copyOf(ports);
        labels = Map.copyOf(labels);
        selector = Map.copyOf(selector);
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(resolution, "resolution");
        exportTo = List.copyOf(exportTo);
        serviceAccounts = List.copyOf(serviceAccounts);
    }

    /** The port with this number, or null. */
    public @Nullable ServicePort port(int number) {
        for (ServicePort p : ports) {
            if (p.port() == number) {
                return p;
            }
        }
        return null;
    }
}
