package io.zonemesh.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.lb.ClusterLbConfig;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.ClusterLoadBalancer.LocalOriginFailure;
import io.zonemesh.lb.ClusterLoadBalancers;
import io.zonemesh.lb.Host;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.lb.OutlierDetectionConfig;
import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.config.DiscoveryType;
import io.zonemesh.proxy.config.UpstreamHttpOptions;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.http.ResponseFlag;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.testing.FakeClusterLoadBalancer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";

    private final ProxyMetrics metrics = new ProxyMetrics(new FakeClock(), "us-east1-a");

    private static RequestRecord record(
            int status, ResponseFlag flag, String cluster, String locality, long upstreamNanos) {
        return new RequestRecord(
                Direction.OUTBOUND,
                "virtualOutbound",
                0,
                "GET",
                "a",
                "/",
                "HTTP/1.1",
                status,
                flag == null ? List.of() : List.of(flag),
                cluster,
                locality.isEmpty() ? null : "10.0.0.1:5000",
                locality,
                1_000_000,
                upstreamNanos,
                0,
                0,
                1,
                null,
                null,
                "");
    }

    @Test
    void countsRequestsBySourceAndDestinationZoneClusterAndCode() {
        metrics.onRequestComplete(record(200, null, HELLO, "us-east1/us-east1-b/", 2_000_000));
        metrics.onRequestComplete(record(200, null, HELLO, "us-east1/us-east1-b/", 3_000_000));
        metrics.onRequestComplete(record(404, ResponseFlag.NO_ROUTE, null, "", -1));

        String scrape = metrics.scrape();

        assertThat(scrape)
                .contains("zonemesh_requests_total{destination_cluster=\"" + HELLO
                        + "\",destination_zone=\"us-east1-b\",direction=\"outbound\",response_code=\"200\","
                        + "source_zone=\"us-east1-a\"} 2.0");
        assertThat(scrape)
                .contains("zonemesh_requests_total{destination_cluster=\"unknown\","
                        + "destination_zone=\"unknown\",direction=\"outbound\",response_code=\"404\","
                        + "source_zone=\"us-east1-a\"} 1.0");
        assertThat(scrape)
                .contains("zonemesh_upstream_request_duration_seconds_count{destination_cluster=\"" + HELLO
                        + "\",destination_zone=\"us-east1-b\",direction=\"outbound\",source_zone=\"us-east1-a\"} 2");
        assertThat(scrape)
                .contains("zonemesh_upstream_request_duration_seconds_bucket{destination_cluster=\""
                        + HELLO
                        + "\",destination_zone=\"us-east1-b\",direction=\"outbound\",source_zone=\"us-east1-a\","
                        + "le=\"0.001\"} 0");
        assertThat(scrape)
                .contains("zonemesh_upstream_request_duration_seconds_bucket{destination_cluster=\""
                        + HELLO
                        + "\",destination_zone=\"us-east1-b\",direction=\"outbound\",source_zone=\"us-east1-a\","
                        + "le=\"0.005\"} 2");
        assertThat(scrape)
                .doesNotContain("zonemesh_upstream_request_duration_seconds_count{destination_cluster=\"unknown\"");
    }

    @Test
    void inboundRequestsGoToThisProxysZoneFromAnUnknownOne() {
        metrics.onRequestComplete(new RequestRecord(
                Direction.INBOUND,
                "virtualInbound",
                0,
                "GET",
                "a",
                "/",
                "HTTP/1.1",
                200,
                List.of(),
                "inbound|5000||",
                "127.0.0.1:8080",
                "",
                1,
                1,
                0,
                0,
                1,
                null,
                null,
                ""));

        assertThat(metrics.scrape())
                .contains("zonemesh_requests_total{destination_cluster=\"inbound|5000||\","
                        + "destination_zone=\"us-east1-a\",direction=\"inbound\",response_code=\"200\","
                        + "source_zone=\"unknown\"} 1.0");
    }

    @Test
    void proxyWithoutLocalityReportsUnknownSourceZone() {
        ProxyMetrics anywhere = new ProxyMetrics(new FakeClock(), "");
        anywhere.onRequestComplete(record(200, null, HELLO, "r/z/", 1));

        assertThat(anywhere.scrape()).contains("source_zone=\"unknown\"");
    }

    @Test
    void clusterGaugesFollowTheLoadBalancerAndEjectionsOnlyCountUp() {
        HostSpec a = new HostSpec("10.0.0.1", 5000, "r/a/", 0, 1, 1, true, "");
        HostSpec b = new HostSpec("10.0.0.2", 5000, "r/b/", 1, 1, 1, true, "");
        OutlierDetectionConfig od = new OutlierDetectionConfig(
                1,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(300),
                Duration.ZERO,
                100,
                false);
        ClusterLbConfig lbConfig = new ClusterLbConfig(io.zonemesh.lb.LbPolicy.ROUND_ROBIN, 140, 50, false, od);
        FakeClusterLoadBalancer balancer = new FakeClusterLoadBalancer(HELLO, lbConfig, List.of(a, b));
        ClusterConfig config = new ClusterConfig(
                HELLO,
                DiscoveryType.EDS,
                HELLO,
                io.zonemesh.lb.LbPolicy.ROUND_ROBIN,
                50,
                false,
                od,
                Duration.ofSeconds(1),
                UpstreamHttpOptions.ENVOY_DEFAULTS,
                null,
                null,
                io.zonemesh.proxy.config.CircuitBreakerThresholds.ENVOY_DEFAULTS,
                io.zonemesh.lb.HashConfig.ENVOY_DEFAULTS,
                null,
                io.zonemesh.lb.ZoneAwareLbConfig.ENVOY_DEFAULTS,
                List.of());
        metrics.onClusterAdded(new ActiveCluster(
                config,
                lbConfig,
                List.of(a, b),
                balancer,
                new io.zonemesh.proxy.snapshot.CircuitBreakers(config.circuitBreakers())));

        balancer.onLocalOriginFailure(balancer.chooseHost(0, Set.of()), LocalOriginFailure.CONNECT_FAILED);
        String scrape = metrics.scrape();
        assertThat(scrape).contains("zonemesh_cluster_hosts{cluster=\"" + HELLO + "\"} 2.0");
        assertThat(scrape).contains("zonemesh_cluster_ejected_hosts{cluster=\"" + HELLO + "\"} 1.0");
        assertThat(scrape).contains("zonemesh_outlier_ejections_total{cluster=\"" + HELLO + "\"} 1.0");

        // The ejected host leaves and comes back with a fresh count: the counter must not drop.
        balancer.update(lbConfig, List.of(b));
        metrics.scrape();
        balancer.update(lbConfig, List.of(a, b));
        assertThat(metrics.scrape()).contains("zonemesh_outlier_ejections_total{cluster=\"" + HELLO + "\"} 1.0");

        metrics.onClusterRemoved(HELLO);
        assertThat(metrics.scrape()).doesNotContain("cluster=\"" + HELLO + "\"");
    }

    @Test
    void exposesEnvoysOutlierAndPanicStatsUnderEnvoysNames() {
        HostSpec a = new HostSpec("10.0.0.1", 5000, "r/a/", 0, 1, 1, true, "");
        HostSpec b = new HostSpec("10.0.0.2", 5000, "r/a/", 0, 1, 1, true, "");
        // consecutive_5xx 2; at 50% one of two hosts may be ejected, the second overflows.
        OutlierDetectionConfig od = new OutlierDetectionConfig(
                2,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(300),
                Duration.ZERO,
                50,
                false);
        ClusterLbConfig lbConfig = new ClusterLbConfig(io.zonemesh.lb.LbPolicy.ROUND_ROBIN, 140, 80, false, od);
        FakeClock clock = new FakeClock();
        ClusterLoadBalancer balancer = ClusterLoadBalancers.create(
                HELLO, lbConfig, List.of(a, b), clock, RandomSource.seeded(3), clock, Runnable::run);
        ClusterConfig config = new ClusterConfig(
                HELLO,
                DiscoveryType.EDS,
                HELLO,
                io.zonemesh.lb.LbPolicy.ROUND_ROBIN,
                80,
                false,
                od,
                Duration.ofSeconds(1),
                UpstreamHttpOptions.ENVOY_DEFAULTS,
                null,
                null,
                io.zonemesh.proxy.config.CircuitBreakerThresholds.ENVOY_DEFAULTS,
                io.zonemesh.lb.HashConfig.ENVOY_DEFAULTS,
                null,
                io.zonemesh.lb.ZoneAwareLbConfig.ENVOY_DEFAULTS,
                List.of());
        metrics.onClusterAdded(new ActiveCluster(
                config,
                lbConfig,
                List.of(a, b),
                balancer,
                new io.zonemesh.proxy.snapshot.CircuitBreakers(config.circuitBreakers())));
        Host first = balancer.chooseHost(0, Set.of());
        Host second = balancer.chooseHost(0, Set.of());

        balancer.onResponse(first, 500);
        balancer.onResponse(first, 503);
        balancer.onResponse(second, 502);
        balancer.onResponse(second, 500);
        // One of two hosts healthy: 70% < the 80% panic threshold, so every pick is in panic.
        for (int i = 0; i < 3; i++) {
            balancer.chooseHost(0, Set.of());
        }

        String scrape = metrics.scrape();
        String tag = "{cluster=\"" + HELLO + "\"}";
        assertThat(scrape).contains("zonemesh_cluster_outlier_detection_ejections_active" + tag + " 1.0");
        assertThat(scrape).contains("zonemesh_cluster_outlier_detection_ejections_enforced_total" + tag + " 1.0");
        assertThat(scrape)
                .contains("zonemesh_cluster_outlier_detection_ejections_enforced_consecutive_5xx_total" + tag + " 1.0");
        assertThat(scrape)
                .contains("zonemesh_cluster_outlier_detection_ejections_detected_consecutive_5xx_total" + tag + " 2.0");
        assertThat(scrape)
                .contains("zonemesh_cluster_outlier_detection_ejections_enforced_consecutive_gateway_failure_total"
                        + tag + " 0.0");
        assertThat(scrape).contains("zonemesh_cluster_outlier_detection_ejections_overflow_total" + tag + " 1.0");
        assertThat(scrape).contains("zonemesh_cluster_lb_healthy_panic_total" + tag + " 3.0");
        assertThat(scrape).contains("zonemesh_outlier_ejections_total" + tag + " 1.0");
        balancer.close();
    }
}
