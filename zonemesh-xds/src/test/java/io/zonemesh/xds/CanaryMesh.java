package io.zonemesh.xds;

import static io.zonemesh.xds.Rules.exact;
import static io.zonemesh.xds.Rules.match;
import static io.zonemesh.xds.Rules.prefix;
import static io.zonemesh.xds.Rules.rule;
import static io.zonemesh.xds.Rules.to;

import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.ConnectionPoolSettings;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.OutlierDetection;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.model.istio.VirtualServiceConfig.Fault;
import io.zonemesh.model.istio.VirtualServiceConfig.Retries;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * examples/canary as model records: istio-test in three versions behind the
 * {@code test-gateway} of the istio-system ingress gateway, with its VirtualService (header route,
 * aborted /v3, 90/10 split with retries and timeout) and DestinationRule (RANDOM, pool, outlier
 * detection, ROUND_ROBIN for v2).
 */
final class CanaryMesh {
    static final String TEST = "istio-test.dev.svc.cluster.local";
    static final Locality ZONE = new Locality("us-east1", "us-east1-b", "");

    private CanaryMesh() {}

    static MeshState state() {
        Service istioTest = new Service(
                TEST,
                "dev",
                "istio-test",
                List.of(new ServicePort("http", 8900, 8080, Protocol.HTTP)),
                Map.of("app", "istio-test"),
                Map.of("app", "istio-test"),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                List.of(),
                null);
        Service ingress = new Service(
                "istio-ingressgateway.istio-system.svc.cluster.local",
                "istio-system",
                "istio-ingressgateway",
                List.of(new ServicePort("http2", 80, 8080, Protocol.HTTP2)),
                Map.of(),
                Map.of("istio", "ingressgateway"),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                List.of(),
                null);
        return new TestMesh()
                .service(istioTest)
                .service(ingress)
                .endpoints(
                        endpoint("10.1.0.11", "istio-test-v1-a", "v1"),
                        endpoint("10.1.0.12", "istio-test-v1-b", "v1"),
                        endpoint("10.1.0.21", "istio-test-v2-a", "v2"),
                        endpoint("10.1.0.31", "istio-test-v3-a", "v3"))
                .rule(destinationRule())
                .virtualService(virtualService())
                .gateway(Rules.gateway("dev", "test-gateway", Map.of("istio", "ingressgateway"), Rules.http(80, "*")))
                .build();
    }

    static VirtualServiceConfig virtualService() {
        return Rules.vs(
                "dev",
                "istio-test",
                List.of("istiotest.example.com", TEST),
                List.of("test-gateway", "mesh"),
                rule(to(TEST, "v1", 100))
                        .when(match().header("user", exact("alice")))
                        .build(),
                rule(to(TEST, "v3", 100))
                        .when(match().uri(prefix("/v3")))
                        .fault(new Fault(null, new Fault.Abort(400, 10)))
                        .build(),
                rule(to(TEST, "v1", 90), to(TEST, "v2", 10))
                        .timeout(Duration.ofSeconds(10))
                        .retries(new Retries(3, Duration.ofSeconds(2), null, null, null, null))
                        .build());
    }

    static DestinationRuleConfig destinationRule() {
        TrafficPolicy top = new TrafficPolicy(
                new LoadBalancerSettings(LoadBalancerSettings.SimpleLb.RANDOM, null, null, null),
                new ConnectionPoolSettings(
                        new ConnectionPoolSettings.Tcp(100, Duration.ofMillis(30), null, null, null),
                        new ConnectionPoolSettings.Http(null, 1000, 10, null, null, null, null, null)),
                new OutlierDetection(7, null, null, null, Duration.ofMinutes(5), Duration.ofMinutes(15), null, null),
                null,
                List.of());
        TrafficPolicy roundRobin = new TrafficPolicy(
                new LoadBalancerSettings(LoadBalancerSettings.SimpleLb.ROUND_ROBIN, null, null, null),
                null,
                null,
                null,
                List.of());
        return new DestinationRuleConfig(
                Fixtures.meta("DestinationRule", "dev", "istio-test", Map.of()),
                "istio-test",
                top,
                List.of(
                        new DestinationRuleConfig.Subset("v1", Map.of("version", "v1"), null),
                        new DestinationRuleConfig.Subset("v2", Map.of("version", "v2"), roundRobin),
                        new DestinationRuleConfig.Subset("v3", Map.of("version", "v3"), null)),
                List.of(),
                null);
    }

    /** The v1 pod's sidecar. */
    static ProxyIdentity sidecar() {
        return new ProxyIdentity(
                "dev",
                "istio-test-v1-a",
                "istio-test-v1",
                Map.of("app", "istio-test", "version", "v1"),
                ZONE,
                ProxyIdentity.ProxyType.SIDECAR,
                false,
                Map.of(8900, "127.0.0.1:8080"),
                "node-b",
                "Kubernetes",
                "");
    }

    /** The ingress gateway pod the Gateway selects. */
    static ProxyIdentity gateway() {
        return new ProxyIdentity(
                "istio-system",
                "istio-ingressgateway-a",
                "istio-ingressgateway",
                Map.of("istio", "ingressgateway", "app", "istio-ingressgateway"),
                ZONE,
                ProxyIdentity.ProxyType.ROUTER,
                false,
                Map.of(),
                "node-b",
                "Kubernetes",
                "");
    }

    private static Endpoint endpoint(String address, String pod, String version) {
        return new Endpoint(
                TEST,
                8900,
                address,
                8080,
                pod,
                "dev",
                ZONE,
                Map.of("app", "istio-test", "version", version, Endpoint.TLS_MODE_LABEL, Endpoint.TLS_MODE_ISTIO),
                "",
                "Kubernetes",
                "node-b",
                HealthStatus.HEALTHY,
                true,
                1,
                "spiffe://cluster.local/ns/dev/sa/istio-test");
    }
}
