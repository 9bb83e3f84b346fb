package io.zonemesh.xds;

import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Workload;
import io.zonemesh.model.istio.ConnectionPoolSettings;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.LocalityLbSetting;
import io.zonemesh.model.istio.OutlierDetection;
import io.zonemesh.model.istio.TrafficPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * examples/multi-az as model records: a sleep client and a helloworld Deployment in
 * each of two zones of region {@code sg}, helloworld without sidecar, and the
 * {@code locality-failover.yaml} DestinationRule (or the {@code distribute.yaml.alt} one).
 */
final class MultiAzMesh {
    static final String SLEEP = "sleep.sample.svc.cluster.local";
    static final String HELLO = "helloworld.sample.svc.cluster.local";
    static final Locality AZ01 = new Locality("sg", "az01", "");
    static final Locality AZ02 = new Locality("sg", "az02", "");

    private MultiAzMesh() {}

    /** locality-failover.yaml: stay in zone, fail over when the local endpoint is ejected. */
    static DestinationRuleConfig localityFailoverRule() {
        TrafficPolicy policy = new TrafficPolicy(
                new LoadBalancerSettings(
                        LoadBalancerSettings.SimpleLb.ROUND_ROBIN,
                        null,
                        new LocalityLbSetting(true, List.of(), List.of(), List.of()),
                        null),
                new ConnectionPoolSettings(
                        null, new ConnectionPoolSettings.Http(null, null, 1, null, null, null, null, null)),
                new OutlierDetection(1, null, null, null, Duration.ofSeconds(1), Duration.ofMinutes(1), null, null),
                null,
                List.of());
        return new DestinationRuleConfig(
                Fixtures.meta("DestinationRule", "sample", "helloworld", Map.of()),
                HELLO,
                policy,
                List.of(),
                List.of(),
                null);
    }

    /** distribute.yaml.alt: pin each zone's callers to their own zone; optionally zonemesh's failover for it. */
    static DestinationRuleConfig distributeRule(boolean distributeFailover) {
        LocalityLbSetting setting = new LocalityLbSetting(
                true,
                List.of(
                        new LocalityLbSetting.Distribute("sg/az01/*", Map.of("sg/az01/*", 100)),
                        new LocalityLbSetting.Distribute("sg/az02/*", Map.of("sg/az02/*", 100))),
                List.of(),
                List.of());
        TrafficPolicy policy = new TrafficPolicy(
                new LoadBalancerSettings(null, null, setting, null),
                null,
                new OutlierDetection(100, null, null, null, Duration.ofSeconds(1), Duration.ofMinutes(1), null, null),
                null,
                List.of());
        Map<String, String> annotations =
                distributeFailover ? Map.of("zonemesh.io/distribute-failover", "true") : Map.of();
        return new DestinationRuleConfig(
                Fixtures.meta("DestinationRule", "sample", "helloworld", annotations),
                HELLO,
                policy,
                List.of(),
                List.of(),
                null);
    }

    static MeshState state(DestinationRuleConfig helloworldRule) {
        return new TestMesh()
                .service(Fixtures.service("sleep", "sample", 80))
                .service(Fixtures.service("helloworld", "sample", 5000))
                .workload(workload(
                        "sleep-az01-6d9f7c8b5-abcde",
                        "sleep-az01",
                        Map.of("app", "sleep", "zone", "az01"),
                        AZ01,
                        "cluster1-worker",
                        "10.244.1.10",
                        true))
                .workload(workload(
                        "sleep-az02-5c7d9f8b6-fghij",
                        "sleep-az02",
                        Map.of("app", "sleep", "zone", "az02"),
                        AZ02,
                        "cluster1-worker2",
                        "10.244.2.10",
                        true))
                .workload(workload(
                        "helloworld-az01-7d4c9f6b8-x2k4q",
                        "helloworld-az01",
                        Map.of("app", "helloworld", "version", "az01"),
                        AZ01,
                        "cluster1-worker",
                        "10.244.1.20",
                        false))
                .workload(workload(
                        "helloworld-az02-6b8c7d5f9-p9m3z",
                        "helloworld-az02",
                        Map.of("app", "helloworld", "version", "az02"),
                        AZ02,
                        "cluster1-worker2",
                        "10.244.2.20",
                        false))
                .endpoints(
                        endpoint(
                                SLEEP,
                                80,
                                "10.244.1.10",
                                "sleep-az01-6d9f7c8b5-abcde",
                                Map.of("app", "sleep", "zone", "az01"),
                                AZ01,
                                "cluster1-worker",
                                true),
                        endpoint(
                                SLEEP,
                                80,
                                "10.244.2.10",
                                "sleep-az02-5c7d9f8b6-fghij",
                                Map.of("app", "sleep", "zone", "az02"),
                                AZ02,
                                "cluster1-worker2",
                                true),
                        endpoint(
                                HELLO,
                                5000,
                                "10.244.1.20",
                                "helloworld-az01-7d4c9f6b8-x2k4q",
                                Map.of("app", "helloworld", "version", "az01"),
                                AZ01,
                                "cluster1-worker",
                                false),
                        endpoint(
                                HELLO,
                                5000,
                                "10.244.2.20",
                                "helloworld-az02-6b8c7d5f9-p9m3z",
                                Map.of("app", "helloworld", "version", "az02"),
                                AZ02,
                                "cluster1-worker2",
                                false))
                .rule(helloworldRule)
                .build();
    }

    /** The sleep pod of a zone as the control plane would identify it. */
    static ProxyIdentity sleep(MeshState state, String zone) {
        Workload w = state.workloads().stream()
                .filter(x -> x.owner().equals("sleep-" + zone))
                .findFirst()
                .orElseThrow();
        return new ProxyIdentity(
                w.namespace(),
                w.name(),
                w.owner(),
                w.labels(),
                w.locality(),
                ProxyIdentity.ProxyType.SIDECAR,
                false,
                Map.of(80, "127.0.0.1:80"),
                w.nodeName(),
                "Kubernetes",
                "");
    }

    private static Workload workload(
            String name,
            String owner,
            Map<String, String> labels,
            Locality locality,
            String node,
            String address,
            boolean sidecar) {
        return new Workload(name, "sample", owner, labels, Map.of(), locality, node, address, sidecar, true, Map.of());
    }

    private static Endpoint endpoint(
            String host,
            int port,
            String address,
            String workload,
            Map<String, String> labels,
            Locality locality,
            String node,
            boolean sidecar) {
        return new Endpoint(
                host,
                port,
                address,
                port,
                workload,
                "sample",
                locality,
                sidecar ? withTlsMode(labels) : labels,
                "",
                "Kubernetes",
                node,
                HealthStatus.HEALTHY,
                sidecar,
                1);
    }

    /** The label the injector gives every pod with a sidecar. */
    private static Map<String, String> withTlsMode(Map<String, String> labels) {
        Map<String, String> out = new java.util.HashMap<>(labels);
        out.put(Endpoint.TLS_MODE_LABEL, Endpoint.TLS_MODE_ISTIO);
        return out;
    }
}
