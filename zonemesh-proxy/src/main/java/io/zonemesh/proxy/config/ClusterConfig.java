package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import io.zonemesh.lb.ClusterLbConfig;
import io.zonemesh.lb.HashConfig;
import io.zonemesh.lb.LbPolicy;
import io.zonemesh.lb.LocalCluster;
import io.zonemesh.lb.OutlierDetectionConfig;
import io.zonemesh.lb.ZoneAwareLbConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An Envoy Cluster with Envoy's defaults applied to unset fields.
 *
 * @param edsServiceName the ClusterLoadAssignment name for EDS clusters
 *     ({@code eds_cluster_config.service_name}, else the cluster name); empty for STATIC
 * @param panicThresholdPercent {@code common_lb_config.healthy_panic_threshold}, 50 when unset
 * @param localityWeighted whether {@code common_lb_config.locality_weighted_lb_config} is set
 * @param connectTimeout {@code connect_timeout}, Envoy's default 5s when unset
 * @param loadAssignment the inline assignment of a STATIC cluster (IP addresses) or a
 *     STRICT_DNS one (host names), null for EDS
 * @param dns how a STRICT_DNS cluster resolves, null for the other types
 * @param circuitBreakers {@code circuit_breakers.thresholds} for priority DEFAULT
 * @param hash ring and table sizes for RING_HASH and MAGLEV
 * @param tls TLS origination ({@code transport_socket} UpstreamTlsContext), null for plaintext
 * @param transportSocketMatches {@code transport_socket_matches} in order; {@code tls} is the
 *     socket of endpoints that match none
 * @param zoneAware {@code common_lb_config.zone_aware_lb_config}, Envoy's defaults for unset
 *     fields; used only when the proxy has a local cluster ({@link io.zonemesh.lb.LocalCluster})
 */
public record ClusterConfig(
        String name,
        DiscoveryType type,
        String edsServiceName,
        LbPolicy lbPolicy,
        double panicThresholdPercent,
        boolean localityWeighted,
        @Nullable OutlierDetectionConfig outlierDetection,
        Duration connectTimeout,
        UpstreamHttpOptions httpOptions,
        @Nullable EndpointAssignment loadAssignment,
        @Nullable DnsSettings dns,
        CircuitBreakerThresholds circuitBreakers,
        HashConfig hash,
        @Nullable UpstreamTls tls,
        ZoneAwareLbConfig zoneAware,
        List<TransportSocketMatch> transportSocketMatches) {

    /** Envoy's {@code Cluster.connect_timeout} default. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Envoy's {@code healthy_panic_threshold} default. */
    public static final double DEFAULT_PANIC_THRESHOLD = 50;

    public ClusterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(edsServiceName, "edsServiceName");
        Objects.requireNonNull(lbPolicy, "lbPolicy");
        if (panicThresholdPercent < 0 || panicThresholdPercent > 100) {
            throw new IllegalArgumentException(
                    "panicThresholdPercent: " + panicThresholdPercent + " (expected: 0..100)");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
        }
        Objects.requireNonNull(httpOptions, "httpOptions");
        Objects.requireNonNull(circuitBreakers, "circuitBreakers");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(zoneAware, "zoneAware");
        transportSocketMatches = List.copyOf(transportSocketMatches);
        if (type != DiscoveryType.EDS && loadAssignment == null) {
            throw new IllegalArgumentException("loadAssignment: null (expected: set for a " + type + " cluster)");
        }
        if ((type == DiscoveryType.STRICT_DNS) != (dns != null)) {
            throw new IllegalArgumentException("dns: " + dns + " (expected: set exactly for a STRICT_DNS cluster)");
        }
        if (type == DiscoveryType.EDS && (loadAssignment != null || edsServiceName.isEmpty())) {
            throw new IllegalArgumentException("edsServiceName: \"" + edsServiceName
                    + "\" (expected: non-empty, and no inline load assignment, for an EDS cluster)");
        }
    }

    /** The load-balancer config once the assignment's overprovisioning factor is known, without local cluster. */
    public ClusterLbConfig lbConfig(int overprovisioningFactor) {
        return lbConfig(overprovisioningFactor, null);
    }

    /**
     * The load-balancer config once the assignment's overprovisioning factor and the proxy's
     * local cluster (null: none) are known.
     */
    public ClusterLbConfig lbConfig(int overprovisioningFactor, @Nullable LocalCluster localCluster) {
        return new ClusterLbConfig(
                lbPolicy,
                overprovisioningFactor,
                panicThresholdPercent,
                localityWeighted,
                outlierDetection,
                hash,
                zoneAware,
                localCluster);
    }
}
