package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.lb.ZoneRoutingStats;
import io.zonemesh.proxy.ZonemeshProxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Envoy's zone-aware routing end to end, over real sockets (istio#18500, #50727): one frontend
 * Deployment with 3 pods in zone za and 1 in zb calls a backend with 1 pod in za and 3 in zb, under
 * a DestinationRule with {@code zoneAwareLbSetting}. Envoy's algorithm (ZONE_AWARE.md §2) gives a
 * za caller local 75 % of callers against 25 % of backends: it keeps 2500·10000/7500 = 3333 basis
 * points (1/3) of its calls in za and sends the rest to zb, whose spare capacity is 7500 − 2500;
 * the zb caller has more backends than callers in its zone and stays there. Every backend pod then
 * gets the same share: 3 × 1/3 in za, (3 × 2/3 + 1) / 3 in zb.
 */
class ZoneAwareMeshTest {
    private static final String NS = "shop";
    private static final int REQUESTS = 200;
    private static final URI URL = URI.create("http://backend.shop:8080/hello");
    private static final Pattern INSTANCE = Pattern.compile("instance: (\\S+)");
    private static final String MESH =
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {istio-injection: enabled}}
            """ + nodes("caller", "za", "za", "za", "zb") + nodes("server", "za", "zb", "zb", "zb") + """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: frontend, namespace: shop}
            spec:
              selector: {app: frontend}
              ports: [{port: 80, name: http}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: frontend, namespace: shop}
            spec:
              replicas: 4
              selector: {matchLabels: {app: frontend}}
              template:
                metadata: {labels: {app: frontend}}
                spec:
                  nodeSelector: {role: caller}
                  containers: [{name: frontend, image: curlimages/curl}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: backend, namespace: shop}
            spec:
              selector: {app: backend}
              ports: [{port: 8080, name: http}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: backend, namespace: shop}
            spec:
              replicas: 4
              selector: {matchLabels: {app: backend}}
              template:
                metadata:
                  annotations: {sidecar.istio.io/inject: "false"}
                  labels: {app: backend}
                spec:
                  nodeSelector: {role: server}
                  containers: [{name: backend, image: docker.io/istio/examples-helloworld-v1, ports: [{containerPort: 8080}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: backend, namespace: shop}
            spec:
              host: backend
              trafficPolicy:
                loadBalancer:
                  zoneAwareLbSetting: {minClusterSize: 1}
            """;

    /** One node per zone given, named {@code <role>-<i>}, labelled with the role. */
    private static String nodes(String role, String... zones) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < zones.length; i++) {
            sb.append("---\napiVersion: v1\nkind: Node\nmetadata:\n  name: ")
                    .append(role)
                    .append('-')
                    .append(i)
                    .append("\n  labels: {kubernetes.io/hostname: ")
                    .append(role)
                    .append('-')
                    .append(i)
                    .append(", role: ")
                    .append(role)
                    .append(", topology.kubernetes.io/region: r")
                    .append(", topology.kubernetes.io/zone: ")
                    .append(zones[i])
                    .append("}\n");
        }
        return sb.toString();
    }

    @Test
    void zoneWithThreeCallersAndOneServerKeepsAThirdOfItsCallsLocal() throws Exception {
        LoadResult loaded = new ConfigLoader().loadString(MESH, "zone-aware.yaml");
        assertThat(loaded.hasErrors()).as("%s", loaded.diagnostics()).isFalse();
        Map<String, Integer> perBackend = new HashMap<>();
        int zaLocal = 0;
        int zaTotal = 0;
        try (LocalMesh mesh = LocalMesh.start(loaded.bundle(), RandomSource.seededThreadSafe(11))) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            List<PodInstance> callers = mesh.podsOf(NS, "frontend");
            assertThat(callers).extracting(p -> p.locality().zone()).containsExactlyInAnyOrder("za", "za", "za", "zb");
            for (PodInstance caller : callers) {
                ZonemeshProxy proxy = mesh.sidecarOf(NS, caller.name());
                SendResult r = new Sender(
                                new InetSocketAddress("127.0.0.1", proxy.outboundPort()), Duration.ofSeconds(15))
                        .send(URL, REQUESTS, "GET", List.of(), null);
                assertThat(r.errors())
                        .as("errors from %s: %s", caller.name(), r.errorCauses())
                        .isZero();
                Map<String, Integer> byZone = new HashMap<>();
                r.responses().forEach((line, n) -> {
                    Matcher m = INSTANCE.matcher(line);
                    String backend = m.find() ? m.group(1) : "?";
                    perBackend.merge(backend, n, Integer::sum);
                    byZone.merge(mesh.localityOfPod(backend).zone(), n, Integer::sum);
                });
                ZoneRoutingStats stats = proxy.snapshot()
                        .cluster("outbound|8080||backend.shop.svc.cluster.local")
                        .loadBalancer()
                        .stats()
                        .zoneRouting();
                if (caller.locality().zone().equals("zb")) {
                    assertThat(byZone).as("zb caller").containsExactly(Map.entry("zb", REQUESTS));
                    // At least one pick per request (a retry, should one happen, picks again).
                    assertThat(stats.zoneRoutingAllDirectly()).isGreaterThanOrEqualTo(REQUESTS);
                } else {
                    zaLocal += byZone.getOrDefault("za", 0);
                    zaTotal += REQUESTS;
                    assertThat(stats.zoneRoutingSampled() + stats.zoneRoutingCrossZone())
                            .isGreaterThanOrEqualTo(REQUESTS);
                    assertThat(stats.zoneRoutingSampled()).isGreaterThanOrEqualTo(byZone.getOrDefault("za", 0));
                    assertThat(stats.zoneRoutingAllDirectly()).isZero();
                }
            }
        }
        // 600 calls from za, 200 expected local; Istio's locality tests allow ±3 per 50 (±36 here).
        assertThat(zaLocal).as("za calls answered in za, of %s", zaTotal).isBetween(200 - 36, 200 + 36);
        // 800 calls over 4 backends, 200 each expected: the one za backend is not overloaded.
        assertThat(perBackend)
                .hasSize(4)
                .allSatisfy((backend, n) -> assertThat(n).as(backend).isBetween(164, 236));
    }
}
