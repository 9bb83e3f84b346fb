package io.zonemesh.config;

import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.model.NetworkGateway;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Network gateways of one cluster found from its Services as istiod does
 * (pilot/pkg/serviceregistry/kube/controller/network.go {@code getGatewayDetails} and
 * {@code extractGatewaysInner}; pilot/pkg/model/network.go {@code resolveHostnameGateways}):
 *
 * <ul>
 *   <li>a Service labelled {@value #NETWORK_LABEL} is the gateway of that network;
 *   <li>its port is {@value NetworkGateway#DEFAULT_PORT}, or the {@value #GATEWAY_PORT_LABEL} label
 *       (an unparsable value is warned about and the default kept);
 *   <li>a Service that does not expose that port is skipped with a warning (istiod also accepts
 *       the HBONE port 15008, which only ambient uses: zonemesh has no HBONE);
 *   <li>its addresses are {@code status.loadBalancer.ingress} and {@code spec.externalIPs}; a host
 *       name is dropped (istiod resolves them only with RESOLVE_HOSTNAME_GATEWAYS);
 *   <li>zonemesh addition for {@code zonemesh up}, which has no load balancer controller: a
 *       LoadBalancer Service without ingress status uses its {@code spec.loadBalancerIP} when that is
 *       a 127.0.0.0/8 address (where the local gateway proxy listens).
 * </ul>
 *
 * NodePort gateways (node addresses and node ports) are not modelled. The registry builds a cluster's
 * gateways with it; {@code zonemesh analyze} reports its warnings as ZM0213.
 */
public final class NetworkGatewayDiscovery {
    /** istiod's {@code label.TopologyNetwork}. */
    public static final String NETWORK_LABEL = "topology.istio.io/network";
    /** istiod's {@code label.NetworkingGatewayPort}. */
    public static final String GATEWAY_PORT_LABEL = "networking.istio.io/gatewayPort";

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private NetworkGatewayDiscovery() {}

    /**
     * The gateways of {@code cluster} among {@code services}, sorted as istiod's {@code SortGateways};
     * {@code warnings} receives one message per Service skipped or address dropped.
     */
    public static List<NetworkGateway> of(List<K8sService> services, String cluster, Consumer<String> warnings) {
        Set<NetworkGateway> out = new LinkedHashSet<>();
        for (K8sService s : services) {
            String network = s.meta().labels().get(NETWORK_LABEL);
            if (network == null || network.isEmpty()) {
                continue;
            }
            String ref = "Service/" + s.meta().namespace() + "/" + s.meta().name();
            int port = NetworkGateway.DEFAULT_PORT;
            String portLabel = s.meta().labels().get(GATEWAY_PORT_LABEL);
            if (portLabel != null && !portLabel.isEmpty()) {
                try {
                    port = Integer.parseInt(portLabel);
                } catch (NumberFormatException e) {
                    warnings.accept(ref + ": label " + GATEWAY_PORT_LABEL + ": \"" + portLabel
                            + "\" (expected: a port number); using " + NetworkGateway.DEFAULT_PORT);
                }
            }
            if (!exposes(s, port)) {
                warnings.accept(ref + ": labelled " + NETWORK_LABEL + "=" + network + " but exposes no port " + port
                        + " (expected: the gateway's TLS passthrough port); not used as a network gateway");
                continue;
            }
            for (String address : addresses(s)) {
                if (!isIp(address)) {
                    warnings.accept(ref + ": gateway address " + address + " is a host name (expected: an IP "
                            + "address; istiod drops host names unless RESOLVE_HOSTNAME_GATEWAYS is set)");
                    continue;
                }
                out.add(new NetworkGateway(network, cluster, address, port));
            }
        }
        List<NetworkGateway> sorted = new ArrayList<>(out);
        sorted.sort(NetworkGateway.ORDER);
        return List.copyOf(sorted);
    }

    private static boolean exposes(K8sService s, int port) {
        for (K8sService.Port p : s.ports()) {
            if (p.port() == port) {
                return true;
            }
        }
        return false;
    }

    private static List<String> addresses(K8sService s) {
        K8sService.External ext = s.external();
        List<String> out = new ArrayList<>();
        if ("LoadBalancer".equals(ext.type())) {
            out.addAll(ext.ingress());
            String lbIp = ext.loadBalancerIp();
            if (ext.ingress().isEmpty() && lbIp != null && lbIp.startsWith("127.") && IPV4.matcher(lbIp).matches()) {
                out.add(lbIp);
            }
        }
        out.addAll(ext.externalIps());
        return out;
    }

    private static boolean isIp(String address) {
        return IPV4.matcher(address).matches() || address.indexOf(':') >= 0;
    }
}
