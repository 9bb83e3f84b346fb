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
 */
public record K8sService(
        ResourceMeta meta,
        Map<String, String> selector,
        List<Port> ports,
        @Nullable String clusterIp,
        @Nullable String trafficDistribution)
        implements K8sMeta {

    public K8sService {
        selector = Map.copyOf(selector);
        ports = List.copyOf(ports);
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
