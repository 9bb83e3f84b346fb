package io.zonemesh.xds;

import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.LocalityLbSetting;
import io.zonemesh.model.istio.OutlierDetection;
import io.zonemesh.model.istio.ResourceMeta;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.xds.locality.LocalityGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Model records for tests, with defaults for everything a test does not care about. */
public final class Fixtures {
    public static final String HELLO = "helloworld.sample.svc.cluster.local";

    private Fixtures() {}

    /** A healthy helloworld endpoint on port 5000 with weight 1. */
    public static Endpoint endpoint(String address, String locality) {
        return endpoint(address, locality, Map.of());
    }

    public static Endpoint endpoint(String address, String locality, Map<String, String> labels) {
        return endpoint(HELLO, 5000, address, locality, labels, HealthStatus.HEALTHY, 1);
    }

    public static Endpoint endpoint(
            String host,
            int port,
            String address,
            String locality,
            Map<String, String> labels,
            HealthStatus health,
            int weight) {
        return new Endpoint(
                host,
                port,
                address,
                port,
                "pod-" + address,
                "sample",
                Locality.parse(locality),
                labels,
                "",
                "",
                "",
                health,
                true,
                weight);
    }

    /** An endpoint with a network, cluster and node, for topology-label tests. */
    public static Endpoint endpoint(
            String address, String locality, Map<String, String> labels, String network, String cluster, String node) {
        return new Endpoint(
                HELLO,
                5000,
                address,
                5000,
                "pod-" + address,
                "sample",
                Locality.parse(locality),
                labels,
                network,
                cluster,
                node,
                HealthStatus.HEALTHY,
                true,
                1);
    }

    /** A Kubernetes service {@code <name>.<namespace>.svc.cluster.local} with HTTP ports named {@code http-<port>}. */
    public static Service service(String name, String namespace, int... ports) {
        List<ServicePort> list = new ArrayList<>();
        for (int p : ports) {
            list.add(new ServicePort("http-" + p, p, p, Protocol.HTTP));
        }
        return new Service(
                name + "." + namespace + ".svc.cluster.local",
                namespace,
                name,
                list,
                Map.of(),
                Map.of("app", name),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                List.of(),
                null);
    }

    public static ResourceMeta meta(String kind, String namespace, String name, Map<String, String> annotations) {
        return new ResourceMeta(kind, namespace, name, Map.of(), annotations, "test.yaml", 1);
    }

    public static DestinationRuleConfig rule(String namespace, String host, TrafficPolicy policy) {
        return rule(namespace, host, policy, List.of(), Map.of());
    }

    public static DestinationRuleConfig rule(
            String namespace,
            String host,
            TrafficPolicy policy,
            List<DestinationRuleConfig.Subset> subsets,
            Map<String, String> annotations) {
        return new DestinationRuleConfig(
                meta("DestinationRule", namespace, host.split("\\.")[0], annotations),
                host,
                policy,
                subsets,
                List.of(),
                null);
    }

    /** A policy with a locality setting and optionally outlier detection. */
    public static TrafficPolicy policy(LocalityLbSetting locality, OutlierDetection outlier) {
        return new TrafficPolicy(new LoadBalancerSettings(null, null, locality, null), null, outlier, null, List.of());
    }

    public static OutlierDetection outlier(int consecutive5xx) {
        return new OutlierDetection(
                consecutive5xx, null, null, null, Duration.ofSeconds(1), Duration.ofMinutes(1), null, null);
    }

    public static LocalityLbSetting enabled() {
        return new LocalityLbSetting(true, List.of(), List.of(), List.of());
    }

    public static LocalityLbSetting failover(String from, String to) {
        return new LocalityLbSetting(true, List.of(), List.of(new LocalityLbSetting.Failover(from, to)), List.of());
    }

    public static LocalityLbSetting failoverPriority(String... labels) {
        return new LocalityLbSetting(true, List.of(), List.of(), List.of(labels));
    }

    /** Groups as {@code P<priority> <locality> w<weight> [addresses]}, for readable assertions. */
    public static List<String> describe(List<LocalityGroup> groups) {
        List<String> out = new ArrayList<>();
        for (LocalityGroup g : groups) {
            List<String> addresses = new ArrayList<>();
            g.endpoints().forEach(e -> addresses.add(e.address()));
            out.add("P" + g.priority() + " " + g.locality() + " w" + g.weight() + " " + addresses);
        }
        return out;
    }
}
