package io.zonemesh.proxy.admin;

import io.envoyproxy.envoy.admin.v3.ClusterStatus;
import io.envoyproxy.envoy.admin.v3.Clusters;
import io.envoyproxy.envoy.admin.v3.HostHealthStatus;
import io.envoyproxy.envoy.admin.v3.HostStatus;
import io.envoyproxy.envoy.admin.v3.SimpleMetric;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.http.ConnectionPools;
import io.zonemesh.proxy.http.PoolKey;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code /clusters}: Envoy's text format, one {@code cluster::host::stat::value} line per host
 * fact, or {@code envoy.admin.v3.Clusters} as JSON with {@code ?format=json}. Health flags read
 * {@code healthy}, or {@code /failed_eds_health} and {@code /failed_outlier_check}.
 */
final class ClustersPage {
    private ClustersPage() {}

    static String text(ProxySnapshot snapshot, ConnectionPools pools) {
        StringBuilder out = new StringBuilder();
        for (ActiveCluster cluster : sorted(snapshot)) {
            String name = cluster.name();
            out.append(name).append("::observability_name::").append(name).append('\n');
            out.append(name).append("::added_via_api::true\n");
            for (ClusterLoadBalancer.HostStatus host : hosts(cluster)) {
                HostSpec spec = host.spec();
                String prefix = name + "::" + spec.key() + "::";
                PoolKey key = PoolKey.of(cluster, spec);
                String[] locality = locality(spec.locality());
                line(out, prefix, "cx_active", pools.activeConnections(key));
                line(out, prefix, "cx_total", pools.totalConnections(key));
                line(out, prefix, "rq_active", host.activeRequests());
                line(out, prefix, "rq_error", host.errorCount());
                line(out, prefix, "rq_success", host.successCount());
                line(out, prefix, "rq_total", host.successCount() + host.errorCount());
                line(out, prefix, "hostname", spec.name());
                line(out, prefix, "health_flags", healthFlags(host));
                line(out, prefix, "ejected", host.ejected());
                line(out, prefix, "ejection_count", host.ejectionCount());
                line(out, prefix, "consecutive_5xx", host.consecutive5xx());
                line(out, prefix, "weight", spec.weight());
                line(out, prefix, "locality_weight", spec.localityWeight());
                line(out, prefix, "region", locality[0]);
                line(out, prefix, "zone", locality[1]);
                line(out, prefix, "sub_zone", locality[2]);
                line(out, prefix, "canary", false);
                line(out, prefix, "priority", spec.priority());
                line(out, prefix, "success_rate", -1);
                line(out, prefix, "local_origin_success_rate", -1);
            }
        }
        return out.toString();
    }

    static Clusters json(ProxySnapshot snapshot, ConnectionPools pools) {
        Clusters.Builder clusters = Clusters.newBuilder();
        for (ActiveCluster cluster : sorted(snapshot)) {
            ClusterStatus.Builder status = clusters.addClusterStatusesBuilder()
                    .setName(cluster.name())
                    .setObservabilityName(cluster.name())
                    .setEdsServiceName(cluster.config().edsServiceName())
                    .setAddedViaApi(true);
            for (ClusterLoadBalancer.HostStatus host : hosts(cluster)) {
                HostSpec spec = host.spec();
                PoolKey key = PoolKey.of(cluster, spec);
                String[] locality = locality(spec.locality());
                status.addHostStatuses(HostStatus.newBuilder()
                        .setAddress(Address.newBuilder()
                                .setSocketAddress(SocketAddress.newBuilder()
                                        .setAddress(spec.address())
                                        .setPortValue(spec.port())))
                        .addStats(counter("cx_total", pools.totalConnections(key)))
                        .addStats(gauge("cx_active", pools.activeConnections(key)))
                        .addStats(counter("rq_error", host.errorCount()))
                        .addStats(counter("rq_success", host.successCount()))
                        .addStats(counter("rq_total", host.successCount() + host.errorCount()))
                        .addStats(gauge("rq_active", host.activeRequests()))
                        .addStats(counter("ejection_count", host.ejectionCount()))
                        .addStats(gauge("consecutive_5xx", host.consecutive5xx()))
                        .setHealthStatus(HostHealthStatus.newBuilder()
                                .setFailedOutlierCheck(host.ejected())
                                .setEdsHealthStatus(spec.healthy() ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY))
                        .setWeight(spec.weight())
                        .setHostname(spec.name())
                        .setPriority(spec.priority())
                        .setLocality(Locality.newBuilder()
                                .setRegion(locality[0])
                                .setZone(locality[1])
                                .setSubZone(locality[2])));
            }
        }
        return clusters.build();
    }

    private static List<ActiveCluster> sorted(ProxySnapshot snapshot) {
        List<ActiveCluster> clusters = new ArrayList<>(snapshot.clusters().values());
        clusters.sort(Comparator.comparing(ActiveCluster::name));
        return clusters;
    }

    private static List<ClusterLoadBalancer.HostStatus> hosts(ActiveCluster cluster) {
        List<ClusterLoadBalancer.HostStatus> hosts =
                new ArrayList<>(cluster.loadBalancer().status());
        hosts.sort(Comparator.comparingInt(
                        (ClusterLoadBalancer.HostStatus h) -> h.spec().priority())
                .thenComparing(h -> h.spec().key()));
        return hosts;
    }

    private static String healthFlags(ClusterLoadBalancer.HostStatus host) {
        StringBuilder flags = new StringBuilder();
        if (!host.spec().healthy()) {
            flags.append("/failed_eds_health");
        }
        if (host.ejected()) {
            flags.append("/failed_outlier_check");
        }
        return flags.length() == 0 ? "healthy" : flags.toString();
    }

    /** {@code region/zone/subzone} split into its three parts, missing parts empty. */
    static String[] locality(String locality) {
        String[] parts = {"", "", ""};
        String[] split = locality.split("/", 3);
        for (int i = 0; i < split.length && !locality.isEmpty(); i++) {
            parts[i] = split[i];
        }
        return parts;
    }

    private static void line(StringBuilder out, String prefix, String stat, Object value) {
        out.append(prefix).append(stat).append("::").append(value).append('\n');
    }

    private static SimpleMetric counter(String name, long value) {
        return SimpleMetric.newBuilder()
                .setType(SimpleMetric.Type.COUNTER)
                .setName(name)
                .setValue(value)
                .build();
    }

    private static SimpleMetric gauge(String name, long value) {
        return SimpleMetric.newBuilder()
                .setType(SimpleMetric.Type.GAUGE)
                .setName(name)
                .setValue(value)
                .build();
    }
}
