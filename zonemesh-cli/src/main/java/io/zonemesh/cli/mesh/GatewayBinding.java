package io.zonemesh.cli.mesh;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.model.istio.WorkloadSelector;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a gateway pod's listeners bind in the local mesh. A cloud load balancer forwards its address
 * and Service port to the pod's target port; {@code zonemesh up} has no load balancer, so a
 * gateway pod selected by a LoadBalancer Service whose {@code spec.loadBalancerIP} is a 127.0.0.0/8
 * address binds that address itself, on the Service port that targets each listener's port. That is
 * the address the network gateway discovery publishes (docs/MULTICLUSTER.md), so other clusters'
 * sidecars and ServiceEntries reach the gateway there. Every other listener binds 127.0.0.1 on a port
 * the kernel picks, as before.
 */
final class GatewayBinding {
    private static final Pattern LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private final @Nullable String address;
    /** Service port by target port (15443 → 15443). */
    private final Map<Integer, Integer> ports;

    private GatewayBinding(@Nullable String address, Map<Integer, Integer> ports) {
        this.address = address;
        this.ports = ports;
    }

    /** The binding of {@code pod}: the first LoadBalancer Service of its namespace selecting it with a 127.x IP. */
    static GatewayBinding of(MeshConfigBundle config, PodInstance pod) {
        for (K8sService s : config.services()) {
            String ip = s.external().loadBalancerIp();
            if (!s.meta().namespace().equals(pod.namespace())
                    || !"LoadBalancer".equals(s.external().type())
                    || ip == null
                    || !LOOPBACK.matcher(ip).matches()
                    || s.selector().isEmpty()
                    || !new WorkloadSelector(s.selector()).matches(pod.labels())) {
                continue;
            }
            Map<Integer, Integer> ports = new TreeMap<>();
            for (K8sService.Port p : s.ports()) {
                int target = p.targetPortNumber() > 0
                        ? p.targetPortNumber()
                        : p.targetPortName() != null && !p.targetPortName().isEmpty()
                                ? pod.containerPort(p.targetPortName())
                                : p.port();
                if (target > 0) {
                    ports.putIfAbsent(target, p.port());
                }
            }
            // A Gateway server numbered as the Service port (Istio accepts either) binds that port too.
            s.ports().forEach(p -> ports.putIfAbsent(p.port(), p.port()));
            return new GatewayBinding(ip, ports);
        }
        return new GatewayBinding(null, Map.of());
    }

    /** Where the listener configured on {@code listener} (0.0.0.0:15443) binds. */
    InetSocketAddress bind(InetSocketAddress listener, String defaultHost) {
        Integer servicePort = ports.get(listener.getPort());
        if (address == null || servicePort == null) {
            return new InetSocketAddress(defaultHost, 0);
        }
        return new InetSocketAddress(address, servicePort);
    }
}
