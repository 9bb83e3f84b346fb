package io.zonemesh.proxy.metrics;

import io.micrometer.core.instrument.Tags;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.http.RequestRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The labels of Istio's standard metrics for one request, in the stats plugin's order, plus
 * zonemesh's {@code source_zone}, {@code destination_zone}, {@code source_region} and
 * {@code destination_region}.
 *
 * <p>An outbound request is reported by the source ({@code reporter="source"}): the source is this
 * proxy's workload, the destination the host the load balancer chose. An inbound request is
 * reported by the destination: the destination is this proxy's workload, and the source is known
 * only by the SPIFFE identity of its client certificate, since zonemesh has no metadata exchange
 * (Istio's peer metadata filter): its workload, app, zone and region are {@code unknown}.
 */
final class IstioLabels {
    static final List<String> NAMES = List.of(
            "reporter",
            "source_workload",
            "source_workload_namespace",
            "source_principal",
            "source_app",
            "source_version",
            "source_canonical_service",
            "source_canonical_revision",
            "source_cluster",
            "source_zone",
            "source_region",
            "destination_workload",
            "destination_workload_namespace",
            "destination_principal",
            "destination_app",
            "destination_version",
            "destination_service",
            "destination_service_name",
            "destination_service_namespace",
            "destination_canonical_service",
            "destination_canonical_revision",
            "destination_cluster",
            "destination_zone",
            "destination_region",
            "request_protocol",
            "response_code",
            "grpc_response_status",
            "response_flags",
            "connection_security_policy");

    private final WorkloadPeer local;

    IstioLabels(WorkloadPeer local) {
        this.local = local;
    }

    List<String> values(RequestRecord r, String responseFlags, String securityPolicy) {
        boolean inbound = r.direction() == Direction.INBOUND;
        WorkloadPeer source;
        WorkloadPeer destination;
        if (inbound) {
            @Nullable String peer = r.downstreamPeerUriSan();
            source = peer == null ? WorkloadPeer.UNKNOWN_PEER : WorkloadPeer.principalOnly(peer);
            @Nullable String self = r.downstreamLocalUriSan();
            destination = self == null ? local : withPrincipal(local, self);
        } else {
            source = local;
            destination = WorkloadPeer.upstream(r.upstreamWorkload(), r.upstreamLocality());
        }
        String service = destinationService(r, inbound);
        List<String> v = new ArrayList<>(NAMES.size());
        v.add(inbound ? "destination" : "source");
        peer(v, source);
        v.add(destination.workload());
        v.add(destination.namespace());
        v.add(destination.principal());
        v.add(destination.app());
        v.add(destination.version());
        v.add(service);
        v.add(serviceName(service));
        v.add(serviceNamespace(service, destination));
        v.add(destination.canonicalService());
        v.add(destination.canonicalRevision());
        v.add(destination.cluster());
        v.add(destination.zone());
        v.add(destination.region());
        v.add("http"); // Istio's request_protocol: http or grpc; zonemesh does not tell gRPC apart yet
        v.add(Integer.toString(r.status()));
        v.add(""); // grpc_response_status: Istio leaves it empty for non-gRPC requests
        v.add(responseFlags);
        v.add(securityPolicy);
        return List.copyOf(v);
    }

    Tags tags(List<String> values) {
        return tags(NAMES, values);
    }

    /** {@code names[i]=values[i]} for every label. */
    static Tags tags(List<String> names, List<String> values) {
        String[] kv = new String[names.size() * 2];
        for (int i = 0; i < names.size(); i++) {
            kv[2 * i] = names.get(i);
            kv[2 * i + 1] = values.get(i);
        }
        return Tags.of(kv);
    }

    /** One peer's ten labels, in the order of {@link #NAMES}' {@code source_*} block. */
    static void peer(List<String> v, WorkloadPeer p) {
        v.add(p.workload());
        v.add(p.namespace());
        v.add(p.principal());
        v.add(p.app());
        v.add(p.version());
        v.add(p.canonicalService());
        v.add(p.canonicalRevision());
        v.add(p.cluster());
        v.add(p.zone());
        v.add(p.region());
    }

    /**
     * Istio's {@code destination_service}: the host of the chosen cluster
     * ({@code outbound|<port>|<subset>|<host>}), else the request's authority without its port.
     */
    static String destinationService(RequestRecord r, boolean inbound) {
        @Nullable String cluster = r.cluster();
        if (!inbound && cluster != null) {
            String[] parts = cluster.split("\\|", -1);
            if (parts.length == 4 && !parts[3].isEmpty()) {
                return parts[3];
            }
        }
        String host = r.authority();
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        return WorkloadPeer.orUnknown(host);
    }

    /** The service's short name: the first label of its host name. */
    static String serviceName(String service) {
        int dot = service.indexOf('.');
        return dot < 0 ? service : service.substring(0, dot);
    }

    /** The second label of a {@code <name>.<namespace>[.svc...]} host, else the destination workload's. */
    private static String serviceNamespace(String service, WorkloadPeer destination) {
        String[] labels = service.split("\\.", -1);
        return labels.length >= 2 && !labels[1].isEmpty() ? labels[1] : destination.namespace();
    }

    private static WorkloadPeer withPrincipal(WorkloadPeer p, String principal) {
        return new WorkloadPeer(
                p.workload(),
                p.namespace(),
                principal,
                p.app(),
                p.version(),
                p.canonicalService(),
                p.canonicalRevision(),
                p.cluster(),
                p.zone(),
                p.region());
    }
}
