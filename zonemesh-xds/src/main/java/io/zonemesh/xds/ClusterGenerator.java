package io.zonemesh.xds;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.type.v3.Percent;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Protocol;
import io.zonemesh.xds.cluster.ConnectionPoolMapper;
import io.zonemesh.xds.cluster.LoadBalancerMapper;
import io.zonemesh.xds.cluster.OutlierDetectionMapper;
import io.zonemesh.xds.cluster.Protos;
import io.zonemesh.xds.cluster.ZoneAwareLbConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * CDS: outbound clusters per visible service port and DestinationRule subset (LOCALITY.md §4.5
 * skeleton, §4 policy mapping) and the inbound STATIC clusters of one workload.
 */
final class ClusterGenerator {
    private ClusterGenerator() {}

    /**
     * Outbound clusters sorted by name. grpc clients get no DNS (STRICT_DNS) clusters: grpc-java
     * NACKs the whole CDS response for one (LOCALITY.md §5.3).
     */
    static List<Cluster> outbound(OutboundScope scope) {
        boolean grpc = scope.proxy.doesNotSupportOverprovisioning();
        Duration connectTimeout = scope.state.settings().connectTimeout();
        List<Cluster> out = new ArrayList<>();
        for (OutboundCluster c : scope.clusters()) {
            if (grpc && c.dns()) {
                continue;
            }
            Cluster.Builder cluster = Cluster.newBuilder().setName(c.name);
            if (c.dns()) {
                cluster.setType(Cluster.DiscoveryType.STRICT_DNS)
                        .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY)
                        .setRespectDnsTtl(true)
                        .setLoadAssignment(EndpointGenerator.loadAssignment(scope, c));
            } else {
                cluster.setType(Cluster.DiscoveryType.EDS)
                        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                                .setServiceName(c.name)
                                .setEdsConfig(
                                        adsConfigSource().setInitialFetchTimeout(Protos.duration(Duration.ZERO))));
            }
            ConnectionPoolMapper.apply(cluster, c.policy.connectionPool(), connectTimeout, protocol(c));
            LoadBalancerMapper.apply(cluster, c.policy.loadBalancer(), grpc);
            if (!c.sniDnat) {
                // SNI-DNAT clusters pass the client's mTLS through (istiod: SniDnatClusterMode skips TLS).
                ClusterTls.apply(scope, c, cluster);
            }
            if (c.policy.outlierDetection() != null) {
                cluster.setOutlierDetection(OutlierDetectionMapper.toEnvoy(c.policy.outlierDetection(), grpc));
            }
            Cluster.CommonLbConfig.Builder common = Cluster.CommonLbConfig.newBuilder()
                    .setHealthyPanicThreshold(Percent.newBuilder().setValue(c.panicThresholdPercent()));
            if (c.localityWeighted()) {
                common.setLocalityWeightedLbConfig(
                        Cluster.CommonLbConfig.LocalityWeightedLbConfig.getDefaultInstance());
            } else if (c.zoneAware != null) {
                common.setZoneAwareLbConfig(ZoneAwareLbConfigs.of(c.zoneAware));
            }
            out.add(cluster.setCommonLbConfig(common).build());
        }
        return out;
    }

    /** {@code inbound|<port>||} per application port, sorted by port. */
    static List<Cluster> inbound(MeshState state, ProxyIdentity proxy) {
        List<Cluster> out = new ArrayList<>();
        proxy.appPorts().forEach((port, target) -> {
            String name = ClusterNames.inbound(port);
            HostPort app = HostPort.parse(target);
            Cluster.Builder cluster =
                    Cluster.newBuilder().setName(name).setLoadAssignment(InboundAssignments.of(name, app));
            if (InboundAssignments.isIpLiteral(app.host())) {
                cluster.setType(Cluster.DiscoveryType.STATIC);
            } else {
                // STATIC takes IP literals only; a host name (local mesh: "localhost") needs DNS.
                cluster.setType(Cluster.DiscoveryType.STRICT_DNS).setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY);
            }
            ConnectionPoolMapper.apply(cluster, null, state.settings().connectTimeout(), Protocol.HTTP);
            out.add(cluster.build());
        });
        return out;
    }

    static ConfigSource.Builder adsConfigSource() {
        return ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3);
    }

    /** UNKNOWN ports are treated as HTTP/1.1 for now. */
    private static Protocol protocol(OutboundCluster c) {
        return c.port.protocol() == Protocol.UNKNOWN ? Protocol.HTTP : c.port.protocol();
    }
}
