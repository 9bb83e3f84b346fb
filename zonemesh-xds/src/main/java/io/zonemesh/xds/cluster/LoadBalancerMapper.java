package io.zonemesh.xds.cluster;

import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.LoadBalancerSettings.ConsistentHash;

/**
 * DestinationRule {@code loadBalancer} to Envoy's {@code lb_policy} and {@code lb_config}, Istio's
 * {@code applyLoadBalancer} (LOCALITY.md §4.3).
 *
 * <p>{@code PASSTHROUGH} would make an ORIGINAL_DST cluster in Istio; zonemesh routes by authority
 * and has no original destination, so it keeps the default policy.
 */
public final class LoadBalancerMapper {
    /** Envoy's and Istio's default ring size. */
    static final long DEFAULT_MINIMUM_RING_SIZE = 1024;

    private LoadBalancerMapper() {}

    /**
     * Sets the cluster's load-balancing policy from a DestinationRule's {@code loadBalancer}.
     *
     * @param grpcClient the proxy is a proxyless gRPC client, which NACKs RANDOM and MAGLEV
     *     (LOCALITY.md §5.3): they become ROUND_ROBIN and RING_HASH
     */
    public static void apply(Cluster.Builder cluster, @Nullable LoadBalancerSettings lb, boolean grpcClient) {
        ConsistentHash hash = lb == null ? null : lb.consistentHash();
        if (hash != null) {
            if (hash.maglevTableSize() != null && !grpcClient) {
                cluster.setLbPolicy(Cluster.LbPolicy.MAGLEV);
                if (hash.maglevTableSize() > 0) {
                    cluster.setMaglevLbConfig(
                            Cluster.MaglevLbConfig.newBuilder().setTableSize(UInt64Value.of(hash.maglevTableSize())));
                }
                return;
            }
            long ringSize = hash.minimumRingSize() != null && hash.minimumRingSize() > 0
                    ? hash.minimumRingSize()
                    : DEFAULT_MINIMUM_RING_SIZE;
            cluster.setLbPolicy(Cluster.LbPolicy.RING_HASH)
                    .setRingHashLbConfig(
                            Cluster.RingHashLbConfig.newBuilder().setMinimumRingSize(UInt64Value.of(ringSize)));
            return;
        }
        LoadBalancerSettings.SimpleLb simple =
                lb == null || lb.simple() == null ? LoadBalancerSettings.SimpleLb.UNSPECIFIED : lb.simple();
        switch (simple) {
            case RANDOM:
                cluster.setLbPolicy(grpcClient ? Cluster.LbPolicy.ROUND_ROBIN : Cluster.LbPolicy.RANDOM);
                break;
            case ROUND_ROBIN:
                cluster.setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
                if (lb != null && lb.warmup() != null) {
                    cluster.setRoundRobinLbConfig(
                            Cluster.RoundRobinLbConfig.newBuilder().setSlowStartConfig(slowStart(lb.warmup())));
                }
                break;
            default:
                // LEAST_CONN is deprecated for LEAST_REQUEST; unset means Istio's default LEAST_REQUEST.
                cluster.setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
                if (lb != null && lb.warmup() != null) {
                    cluster.setLeastRequestLbConfig(
                            Cluster.LeastRequestLbConfig.newBuilder().setSlowStartConfig(slowStart(lb.warmup())));
                }
                break;
        }
    }

    private static Cluster.SlowStartConfig slowStart(java.time.Duration window) {
        return Cluster.SlowStartConfig.newBuilder()
                .setSlowStartWindow(Protos.duration(window))
                .build();
    }
}
