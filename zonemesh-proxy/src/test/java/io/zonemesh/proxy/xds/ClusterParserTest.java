package io.zonemesh.proxy.xds;

import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.seconds;
import static io.zonemesh.proxy.testing.EnvoyResources.staticCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.v3.Percent;
import io.zonemesh.lb.LbPolicy;
import io.zonemesh.lb.OutlierDetectionConfig;
import io.zonemesh.lb.ZoneAwareLbConfig;
import io.zonemesh.proxy.config.CircuitBreakerThresholds;
import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.DiscoveryType;
import io.zonemesh.proxy.config.DnsSettings;
import io.zonemesh.proxy.config.UpstreamHttpOptions;
import io.zonemesh.proxy.testing.EnvoyResources;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterParserTest {

    private static ClusterConfig parse(Cluster cluster) {
        ValidationErrors errors = new ValidationErrors();
        ClusterConfig config = ClusterParser.parse(cluster, errors);
        assertThat(errors.messages()).isEmpty();
        return config;
    }

    private static ValidationErrors errors(Cluster cluster) {
        ValidationErrors errors = new ValidationErrors();
        assertThat(ClusterParser.parse(cluster, errors.forResource("Cluster", cluster.getName())))
                .isNull();
        return errors;
    }

    @Test
    void edsClusterGetsEnvoyDefaultsForUnsetFields() {
        ClusterConfig config = parse(edsCluster("outbound|5000||helloworld.sample.svc.cluster.local")
                .clearConnectTimeout()
                .clearLbPolicy()
                .build());

        assertThat(config.type()).isEqualTo(DiscoveryType.EDS);
        assertThat(config.edsServiceName()).isEqualTo("outbound|5000||helloworld.sample.svc.cluster.local");
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.lbPolicy()).isEqualTo(LbPolicy.ROUND_ROBIN);
        assertThat(config.panicThresholdPercent()).isEqualTo(50);
        assertThat(config.localityWeighted()).isFalse();
        assertThat(config.outlierDetection()).isNull();
        assertThat(config.httpOptions()).isEqualTo(UpstreamHttpOptions.ENVOY_DEFAULTS);
        assertThat(config.lbConfig(140).overprovisioningFactor()).isEqualTo(140);
    }

    @Test
    void edsServiceNameFallsBackToTheClusterName() {
        ClusterConfig config = parse(edsCluster("c")
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(EnvoyResources.ads()))
                .build());

        assertThat(config.edsServiceName()).isEqualTo("c");
    }

    @Test
    void emptyOutlierDetectionMeansAllEnvoyDefaults() {
        ClusterConfig config = parse(edsCluster("c")
                .setOutlierDetection(OutlierDetection.getDefaultInstance())
                .build());

        assertThat(config.outlierDetection()).isEqualTo(OutlierDetectionConfig.ENVOY_DEFAULTS);
    }

    @Test
    void outlierDetectionFieldsOverrideDefaultsAndMaxEjectionTimeFollowsBase() {
        ClusterConfig config = parse(edsCluster("c")
                .setOutlierDetection(OutlierDetection.newBuilder()
                        .setConsecutive5Xx(UInt32Value.of(1))
                        .setInterval(seconds(1))
                        .setBaseEjectionTime(seconds(600))
                        .setMaxEjectionPercent(UInt32Value.of(100))
                        .setAlwaysEjectOneHost(BoolValue.of(true))
                        .setEnforcingSuccessRate(UInt32Value.of(0)))
                .build());

        OutlierDetectionConfig od = config.outlierDetection();
        assertThat(od.consecutive5xx()).isEqualTo(1);
        assertThat(od.enforcingConsecutive5xx()).isEqualTo(100);
        assertThat(od.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(od.baseEjectionTime()).isEqualTo(Duration.ofSeconds(600));
        assertThat(od.maxEjectionTime()).isEqualTo(Duration.ofSeconds(600));
        assertThat(od.maxEjectionPercent()).isEqualTo(100);
        assertThat(od.alwaysEjectOneHost()).isTrue();
        assertThat(od.enforcingConsecutiveGatewayFailure()).isZero();
    }

    @Test
    void commonLbConfigSetsPanicThresholdAndLocalityWeighting() {
        ClusterConfig config = parse(edsCluster("c")
                .setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST)
                .setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
                        .setHealthyPanicThreshold(Percent.newBuilder().setValue(0))
                        .setLocalityWeightedLbConfig(
                                Cluster.CommonLbConfig.LocalityWeightedLbConfig.getDefaultInstance()))
                .build());

        assertThat(config.panicThresholdPercent()).isZero();
        assertThat(config.localityWeighted()).isTrue();
        assertThat(config.lbPolicy()).isEqualTo(LbPolicy.LEAST_REQUEST);
    }

    @Test
    void httpProtocolOptionsSetConnectionReuseAndTheHttp2Choice() {
        HttpProtocolOptions options = HttpProtocolOptions.newBuilder()
                .setCommonHttpProtocolOptions(io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder()
                        .setMaxRequestsPerConnection(UInt32Value.of(1))
                        .setIdleTimeout(millis(1500))
                        .setMaxConnectionDuration(seconds(60)))
                .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                        .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                .build();
        ClusterConfig config = parse(edsCluster("c")
                .putTypedExtensionProtocolOptions(ClusterParser.HTTP_PROTOCOL_OPTIONS_KEY, Any.pack(options))
                .build());

        assertThat(config.httpOptions())
                .isEqualTo(new UpstreamHttpOptions(1, Duration.ofMillis(1500), Duration.ofSeconds(60), true));
    }

    @Test
    void staticClusterCarriesItsInlineHosts() {
        ClusterConfig config = parse(staticCluster("inbound|5000||", "127.0.0.1", 8080));

        assertThat(config.type()).isEqualTo(DiscoveryType.STATIC);
        assertThat(config.loadAssignment().hosts())
                .singleElement()
                .satisfies(h -> assertThat(h.key()).isEqualTo("127.0.0.1:8080"));
    }

    @Test
    @SuppressWarnings("deprecation") // deliberately uses deprecated fields
    void strictDnsClusterKeepsHostNamesAndDnsSettings() {
        Cluster dns = staticCluster("outbound|80||mydb.example.com", "localhost", 18081).toBuilder()
                .setType(Cluster.DiscoveryType.STRICT_DNS)
                .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY)
                .setDnsRefreshRate(millis(250))
                .build();

        ClusterConfig config = parse(dns);

        assertThat(config.type()).isEqualTo(DiscoveryType.STRICT_DNS);
        assertThat(config.dns()).isEqualTo(new DnsSettings(Duration.ofMillis(250), DnsSettings.Family.V4_ONLY));
        assertThat(config.loadAssignment().hosts())
                .singleElement()
                .satisfies(h -> assertThat(h.address()).isEqualTo("localhost"));
    }

    @Test
    void staticClusterRejectsHostNames() {
        ValidationErrors errors = errors(staticCluster("s", "localhost", 80));

        assertThat(errors.messages())
                .singleElement()
                .asString()
                .contains("load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address")
                .contains("\"localhost\"");
    }

    @Test
    @SuppressWarnings("deprecation") // deliberately uses deprecated fields
    void reportsEveryUnsupportedFieldOfOneCluster() {
        Cluster bad = edsCluster("bad")
                .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                        .setEdsConfig(ConfigSource.newBuilder().setPath("/etc/eds.yaml")))
                .setConnectTimeout(seconds(0))
                .setOutlierDetection(OutlierDetection.newBuilder().setMaxEjectionPercent(UInt32Value.of(101)))
                .build();

        ValidationErrors errors = errors(bad);

        assertThat(errors.messages()).hasSize(4);
        assertThat(errors.joined())
                .contains(
                        "Cluster bad: lb_policy: CLUSTER_PROVIDED (expected: ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH or MAGLEV)")
                .contains("eds_cluster_config.eds_config: PATH (expected: ads {}")
                .contains("connect_timeout: 0s (expected: > 0)")
                .contains("outlier_detection.max_ejection_percent: 101 (expected: 0..100)");
    }

    @Test
    void rejectsUnsupportedDiscoveryTypes() {
        assertThat(errors(edsCluster("o")
                                .setType(Cluster.DiscoveryType.ORIGINAL_DST)
                                .build())
                        .joined())
                .contains("type: ORIGINAL_DST (expected: EDS, STATIC or STRICT_DNS)");
    }

    @Test
    void circuitBreakersTakeTheDefaultPriorityAndEnvoyDefaultsPerUnsetField() {
        ClusterConfig config = parse(edsCluster("c")
                .setCircuitBreakers(CircuitBreakers.newBuilder()
                        .addThresholds(CircuitBreakers.Thresholds.newBuilder()
                                .setPriority(RoutingPriority.HIGH)
                                .setMaxConnections(UInt32Value.of(7)))
                        .addThresholds(CircuitBreakers.Thresholds.newBuilder()
                                .setMaxConnections(UInt32Value.of(-1))
                                .setMaxRetries(UInt32Value.of(5))))
                .build());

        assertThat(config.circuitBreakers()).isEqualTo(new CircuitBreakerThresholds(Integer.MAX_VALUE, 1024, 1024, 5));
        assertThat(parse(edsCluster("c").build()).circuitBreakers()).isEqualTo(CircuitBreakerThresholds.ENVOY_DEFAULTS);
    }

    @Test
    void retryBudgetsAndPerHostThresholdsAreRejected() {
        String errors = errors(edsCluster("c")
                        .setCircuitBreakers(CircuitBreakers.newBuilder()
                                .addThresholds(CircuitBreakers.Thresholds.newBuilder()
                                        .setRetryBudget(CircuitBreakers.Thresholds.RetryBudget.getDefaultInstance()))
                                .addPerHostThresholds(CircuitBreakers.Thresholds.getDefaultInstance()))
                        .build())
                .joined();

        assertThat(errors)
                .contains("circuit_breakers.thresholds[0].retry_budget")
                .contains("circuit_breakers.per_host_thresholds");
    }

    @Test
    void ringHashAndMaglevTakeTheirSizesWithEnvoyDefaults() {
        ClusterConfig ring = parse(edsCluster("c")
                .setLbPolicy(Cluster.LbPolicy.RING_HASH)
                .setRingHashLbConfig(Cluster.RingHashLbConfig.newBuilder()
                        .setMinimumRingSize(com.google.protobuf.UInt64Value.of(2048)))
                .build());
        ClusterConfig maglev = parse(edsCluster("c")
                .setLbPolicy(Cluster.LbPolicy.MAGLEV)
                .setMaglevLbConfig(
                        Cluster.MaglevLbConfig.newBuilder().setTableSize(com.google.protobuf.UInt64Value.of(251)))
                .build());

        assertThat(ring.lbPolicy()).isEqualTo(LbPolicy.RING_HASH);
        assertThat(ring.hash()).isEqualTo(new io.zonemesh.lb.HashConfig(2048, 8 * 1024 * 1024, 65537));
        assertThat(maglev.lbPolicy()).isEqualTo(LbPolicy.MAGLEV);
        assertThat(maglev.hash().maglevTableSize()).isEqualTo(251);
    }

    @Test
    void rejectsMurmurHashAndATableSizeThatIsNotPrime() {
        String murmur = errors(edsCluster("c")
                        .setLbPolicy(Cluster.LbPolicy.RING_HASH)
                        .setRingHashLbConfig(Cluster.RingHashLbConfig.newBuilder()
                                .setHashFunction(Cluster.RingHashLbConfig.HashFunction.MURMUR_HASH_2))
                        .build())
                .joined();
        String table = errors(edsCluster("c")
                        .setLbPolicy(Cluster.LbPolicy.MAGLEV)
                        .setMaglevLbConfig(Cluster.MaglevLbConfig.newBuilder()
                                .setTableSize(com.google.protobuf.UInt64Value.of(100)))
                        .build())
                .joined();

        assertThat(murmur).contains("ring_hash_lb_config.hash_function: MURMUR_HASH_2");
        assertThat(table).contains("maglevTableSize: 100 (expected: a prime)");
    }

    @Test
    void zoneAwareLbConfigDefaultsToEnvoysWhenUnset() {
        assertThat(parse(edsCluster("c").build()).zoneAware()).isEqualTo(ZoneAwareLbConfig.ENVOY_DEFAULTS);
    }

    @Test
    void zoneAwareLbConfigAsIstioSendsIt() {
        // Istio's zoneAwareLbSetting {enabled: false, minClusterSize: 3}.
        ClusterConfig config = parse(edsCluster("c")
                .setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
                        .setZoneAwareLbConfig(Cluster.CommonLbConfig.ZoneAwareLbConfig.newBuilder()
                                .setRoutingEnabled(Percent.newBuilder().setValue(49.5))
                                .setMinClusterSize(com.google.protobuf.UInt64Value.of(3))
                                .setFailTrafficOnPanic(true)))
                .build());

        assertThat(config.zoneAware())
                .isEqualTo(new ZoneAwareLbConfig(
                        50, 3, true, false, 0, ZoneAwareLbConfig.LocalityBasis.HEALTHY_HOSTS_NUM));
        assertThat(config.lbConfig(140).zoneAware()).isEqualTo(config.zoneAware());
    }

    @Test
    void zoneAwareRoutingEnabledAbove100IsRejected() {
        ValidationErrors errors = errors(edsCluster("c")
                .setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
                        .setZoneAwareLbConfig(Cluster.CommonLbConfig.ZoneAwareLbConfig.newBuilder()
                                .setRoutingEnabled(Percent.newBuilder().setValue(101))))
                .build());

        assertThat(errors.messages())
                .singleElement()
                .asString()
                .contains("common_lb_config.zone_aware_lb_config.routing_enabled")
                .contains("0..100");
    }
}
