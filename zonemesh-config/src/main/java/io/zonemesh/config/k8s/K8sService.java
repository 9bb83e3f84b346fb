package io.zonemesh.config.k8s;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes Service.
 *
 * @param clusterIp {@code spec.clusterIP}; {@code "None"} makes it headless
 * @param trafficDistribution {@code spec.trafficDistribution}, else Istio's
 *     {@code networking.istio.io/traffic-distribution} annotation, or null
 * @param external where the Service is reachable from outside its cluster (network gateways)
 */
public record K8sService(
        ResourceMeta meta,
        Map<String, String> selector,
        List<Port> ports,
        @Nullable String clusterIp,
        @Nullable String trafficDistribution,
        External external)
        implements K8sMeta {

    /** A Service with no external addresses. */
    public K8sService(
            ResourceMeta meta,
            Map<String, String> selector,
            List<Port> ports,
            @Nullable String clusterIp,
            @Nullable String trafficDistribution) {
        this(meta, selector, ports, clusterIp, trafficDistribution, External.NONE);
    }

    public K8sService {
        selector = Map.copyOf(selector);
        ports = List.copyOf(ports);
        java.util.Objects.requireNonNull(external, "external");
    }

    /**
     * The external addresses of a Service, what istiod's kube conversion puts into
     * {@code ClusterExternalAddresses} (pilot/pkg/serviceregistry/kube/conversion.go).
     *
     * @param type {@code spec.type} (ClusterIP when unset)
     * @param loadBalancerIp {@code spec.loadBalancerIP}, or null
     * @param externalIps {@code spec.externalIPs}
     * @param ingress {@code status.loadBalancer.ingress[]}: each entry's {@code ip}, else its
     *     {@code hostname}
     */
    public record External(
            String type, @Nullable String loadBalancerIp, List<String> externalIps, List<String> ingress) {
        public static final External NONE = new External("ClusterIP", null, List.of(), List.of());

        public External {
            java.util.Objects.requireNonNull(type, "type");
            externalIps = List.copyOf(externalIps);
            ingress = List.copyOf(ingress);
        }
    }

    /**
     * {@code spec.ports[]}. {@code targetPort} is either a number ({@code targetPortNumber > 0})
     * or a container port name ({@code targetPortName}); unset means the same as {@code port}.
     */
    public record Port(
            @Nullable String name,
            int port,
            int targetPortNumber,
            @Nullable String targetPortName,
            String protocol,
            @Nullable String appProtocol) {}
}
