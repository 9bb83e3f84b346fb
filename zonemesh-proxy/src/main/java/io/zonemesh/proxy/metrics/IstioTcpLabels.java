package io.zonemesh.proxy.metrics;

import io.micrometer.core.instrument.Tags;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.http.ResponseFlag;
import io.zonemesh.proxy.tcp.TcpConnectionRecord;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The labels of Istio's TCP metrics for one connection: the HTTP metrics' labels
 * ({@link IstioLabels}) without {@code response_code} and {@code grpc_response_status}, with
 * {@code request_protocol="tcp"}, as Istio's stats filter labels TCP.
 *
 * <p>An outbound connection (a gateway's tcp_proxy, a captured outbound passthrough) is reported
 * by the source: this proxy's workload to the chosen host's. A captured inbound passthrough is
 * reported by the destination, this proxy's workload, from an unknown source. The destination
 * service is the host in the cluster's name ({@code outbound|<port>|<subset>|<host>} or the
 * SNI form {@code outbound_.<port>_.<subset>_.<host>}); for {@code PassthroughCluster} it is the
 * original destination's address, its name {@code PassthroughCluster}.
 */
final class IstioTcpLabels {
    static final List<String> NAMES = IstioLabels.NAMES.stream()
            .filter(n -> !n.equals("response_code") && !n.equals("grpc_response_status"))
            .toList();
    static final String PASSTHROUGH_CLUSTER = "PassthroughCluster";

    private final WorkloadPeer local;

    IstioTcpLabels(WorkloadPeer local) {
        this.local = local;
    }

    List<String> values(TcpConnectionRecord r) {
        boolean inbound = r.direction() == Direction.INBOUND;
        HostSpec host = r.upstreamHost();
        WorkloadPeer source = inbound ? WorkloadPeer.UNKNOWN_PEER : local;
        WorkloadPeer destination = inbound
                ? local
                : host == null ? WorkloadPeer.UNKNOWN_PEER : WorkloadPeer.upstream(host.name(), host.locality());
        String service = destinationService(r);
        String serviceName =
                PASSTHROUGH_CLUSTER.equals(r.cluster()) ? PASSTHROUGH_CLUSTER : IstioLabels.serviceName(service);
        List<String> v = new ArrayList<>(NAMES.size());
        v.add(inbound ? "destination" : "source");
        IstioLabels.peer(v, source);
        v.add(destination.workload());
        v.add(destination.namespace());
        v.add(destination.principal());
        v.add(destination.app());
        v.add(destination.version());
        v.add(service);
        v.add(serviceName);
        v.add(serviceNamespace(service, destination));
        v.add(destination.canonicalService());
        v.add(destination.canonicalRevision());
        v.add(destination.cluster());
        v.add(destination.zone());
        v.add(destination.region());
        v.add("tcp");
        v.add(
                r.flags().isEmpty()
                        ? "-"
                        : r.flags().stream().map(ResponseFlag::code).collect(Collectors.joining(",")));
        // Only a destination reports a security policy; a passed-through inbound connection is
        // plaintext to this proxy (TLS, if any, is the application's own).
        v.add(inbound ? "none" : WorkloadPeer.UNKNOWN);
        return List.copyOf(v);
    }

    Tags tags(List<String> values) {
        return IstioLabels.tags(NAMES, values);
    }

    static String destinationService(TcpConnectionRecord r) {
        @Nullable String cluster = r.cluster();
        InetSocketAddress destination = r.destination();
        if (PASSTHROUGH_CLUSTER.equals(cluster) && destination != null) {
            return destination.getHostString();
        }
        if (cluster == null) {
            return WorkloadPeer.UNKNOWN;
        }
        String[] parts = cluster.split("\\|", -1);
        if (parts.length == 4 && !parts[3].isEmpty()) {
            return parts[3];
        }
        // SNI-DNAT clusters: outbound_.<port>_.<subset>_.<host>; the host follows the third "_.".
        if (cluster.startsWith("outbound_.")) {
            int at = 0;
            for (int i = 0; i < 3 && at >= 0; i++) {
                at = cluster.indexOf("_.", at);
                at = at < 0 ? -1 : at + 2;
            }
            if (at > 0 && at < cluster.length()) {
                return cluster.substring(at);
            }
        }
        return WorkloadPeer.UNKNOWN;
    }

    private static String serviceNamespace(String service, WorkloadPeer destination) {
        String[] labels = service.split("\\.", -1);
        return labels.length >= 2 && !labels[1].isEmpty() && !Character.isDigit(service.charAt(0))
                ? labels[1]
                : destination.namespace();
    }
}
