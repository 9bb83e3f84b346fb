package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.endpoint;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.staticCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.zonemesh.common.metrics.PrometheusText;
import io.zonemesh.common.metrics.PrometheusText.Sample;
import io.zonemesh.proxy.identity.WorkloadSecrets;
import io.zonemesh.proxy.testing.IstioMtls;
import io.zonemesh.proxy.testing.IstioMtls.Mode;
import io.zonemesh.proxy.testing.MeshFixture;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.TestIdentities;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ProxyType;
import io.zonemesh.proxy.xds.ResourceType;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio's standard metrics on real sockets: a client sidecar ({@code sleep} in us-east1-a) calls a
 * server sidecar ({@code httpbin} in us-east1-b) over Istio mTLS, and both proxies'
 * {@code /stats/prometheus} pages parse and carry the request with the labels Istio would give it.
 */
@ExtendWith(NettyLeakCheck.class)
class IstioTelemetryEndToEndTest {
    private static final int APP_PORT = 8080;
    private static final String HOST = "httpbin.sample.svc.cluster.local";
    private static final String CLUSTER = "outbound|8080||" + HOST;
    private static final String AUTHORITY = "httpbin.sample:8080";
    private static final String SERVER_ID = "spiffe://cluster.local/ns/sample/sa/httpbin";
    private static final String CLIENT_ID = "spiffe://cluster.local/ns/sample/sa/sleep";
    private static final TestIdentities CA = new TestIdentities("cluster.local");

    private MeshFixture server;
    private MeshFixture client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static NodeIdentity node(String pod, String workload, String version, String zone) {
        return new NodeIdentity(
                pod + ".sample",
                workload + ".sample",
                "sample",
                pod,
                Map.of("app", workload, "version", version),
                "us-east1",
                zone,
                "",
                ProxyType.SIDECAR);
    }

    private void startMesh() {
        server = new MeshFixture("TelemetryServer");
        var app = server.server("httpbin");
        server.ads.set(ResourceType.CLUSTER, "1", staticCluster("inbound|8080||", "127.0.0.1", app.port()));
        server.ads.set(
                ResourceType.LISTENER,
                "1",
                outboundListener(),
                IstioMtls.inboundListener(Map.of(APP_PORT, Mode.STRICT)));
        server.ads.set(ResourceType.ROUTE, "1", routeConfig("http_proxy"));
        WorkloadSecrets serverSecrets = new WorkloadSecrets();
        serverSecrets.update(CA.issue("sample", "httpbin"));
        server.start(b -> b.node(node("httpbin-1", "httpbin", "v1", "us-east1-b"))
                .inboundAddresses(Map.of(APP_PORT, new InetSocketAddress("127.0.0.1", 0)))
                .workloadSecrets(serverSecrets));

        client = new MeshFixture("TelemetryClient");
        client.ads.set(
                ResourceType.CLUSTER,
                "1",
                IstioMtls.autoMtls(edsCluster(CLUSTER), "outbound_.8080_._." + HOST, List.of(SERVER_ID))
                        .build());
        LbEndpoint sidecar =
                IstioMtls.withSidecar(endpoint("127.0.0.1", server.proxy().inboundPort(APP_PORT)));
        // istiod's endpoint metadata: filter_metadata.istio.workload = <wl>;<ns>;<canonical svc>;<rev>;<cluster>
        Metadata metadata = sidecar.getMetadata().toBuilder()
                .putFilterMetadata(
                        "istio",
                        Struct.newBuilder()
                                .putFields(
                                        "workload",
                                        Value.newBuilder()
                                                .setStringValue("httpbin;sample;httpbin;v1;Kubernetes")
                                                .build())
                                .build())
                .build();
        client.ads.set(
                ResourceType.ENDPOINT,
                "1",
                cla(
                        CLUSTER,
                        LocalityLbEndpoints.newBuilder()
                                .setLocality(Locality.newBuilder()
                                        .setRegion("us-east1")
                                        .setZone("us-east1-b"))
                                .setLoadBalancingWeight(UInt32Value.of(1))
                                .addLbEndpoints(sidecar.toBuilder().setMetadata(metadata))
                                .build()));
        client.ads.set(ResourceType.LISTENER, "1", outboundListener());
        client.ads.set(
                ResourceType.ROUTE,
                "1",
                routeConfig("http_proxy", virtualHost("httpbin", List.of(AUTHORITY), CLUSTER)));
        WorkloadSecrets clientSecrets = new WorkloadSecrets();
        clientSecrets.update(CA.issue("sample", "sleep"));
        client.start(b -> b.node(node("sleep-1", "sleep", "v2", "us-east1-a")).workloadSecrets(clientSecrets));
    }

    private static List<Sample> scrape(MeshFixture mesh) {
        RawHttpClient.Response page = RawHttpClient.get(mesh.proxy().adminPort(), "http://127.0.0.1/stats/prometheus");
        assertThat(page.status()).isEqualTo(200);
        return PrometheusText.parseDeclared(page.body());
    }

    private static List<Sample> named(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /**
     * deploy/addons' Grafana dashboard names only metrics, and groups only by labels, that real
     * proxies export: every {@code istio_*}, {@code envoy_*} and {@code zonemesh_*} name in its
     * PromQL is a sample name on one of the two pages after a request.
     */
    @Test
    void dashboardQueriesOnlyNameExportedMetricsAndLabels() throws Exception {
        startMesh();
        assertThat(RawHttpClient.get(client.proxy().outboundPort(), "http://" + AUTHORITY + "/status")
                        .status())
                .isEqualTo(200);
        List<Sample> exported = new ArrayList<>(scrape(client));
        exported.addAll(scrape(server));
        Set<String> names = exported.stream().map(Sample::name).collect(Collectors.toSet());
        Set<String> labels =
                exported.stream().flatMap(x -> x.labels().keySet().stream()).collect(Collectors.toSet());

        JsonNode dashboard = new ObjectMapper()
                .readTree(Path.of("..", "deploy", "addons", "zonemesh-dashboard.json")
                        .toFile());
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> queries.add(v.path("query").path("query").asText()));
        assertThat(queries).hasSizeGreaterThan(10);
        Pattern metric = Pattern.compile("\\b(?:istio|envoy|zonemesh)_[a-z0-9_]+\\b");
        Pattern grouping = Pattern.compile("\\b(?:by|on) \\(([^)]*)\\)");
        Set<String> used = new TreeSet<>();
        Set<String> grouped = new TreeSet<>();
        for (String query : queries) {
            // Label names (in grouping clauses and matchers) are checked as labels, not metrics.
            String metricsOnly = grouping.matcher(query).replaceAll(" ").replaceAll("\\{[^}]*\\}", " ");
            metric.matcher(metricsOnly).results().forEach(m -> used.add(m.group()));
            grouping.matcher(query).results().forEach(m -> {
                for (String label : m.group(1).split(",")) {
                    grouped.add(label.strip());
                }
            });
        }
        assertThat(used).contains("istio_requests_total", "zonemesh_failover_events_total");
        assertThat(names).containsAll(used);
        assertThat(labels).containsAll(grouped);
    }

    @Test
    void clientReportsAsSourceAndServerAsDestinationWithMutualTls() {
        startMesh();
        for (int i = 0; i < 3; i++) {
            assertThat(RawHttpClient.get(client.proxy().outboundPort(), "http://" + AUTHORITY + "/status")
                            .status())
                    .isEqualTo(200);
        }

        List<Sample> clientPage = scrape(client);
        assertThat(named(clientPage, "envoy_cluster_upstream_rq_total"))
                .singleElement()
                .satisfies(rq -> assertThat(rq.labels()).containsEntry("envoy_cluster_name", CLUSTER))
                .extracting(Sample::value)
                .isEqualTo(3.0);
        for (String stat : List.of(
                "envoy_cluster_outlier_detection_ejections_active",
                "envoy_cluster_outlier_detection_ejections_enforced_total",
                "envoy_cluster_outlier_detection_ejections_enforced_consecutive_5xx_total",
                "envoy_cluster_lb_healthy_panic_total",
                "envoy_cluster_lb_zone_routing_all_directly_total",
                "envoy_cluster_lb_zone_routing_sampled_total",
                "envoy_cluster_lb_zone_routing_cross_zone_total")) {
            assertThat(named(clientPage, stat))
                    .as(stat)
                    .anySatisfy(v -> assertThat(v.labels()).containsEntry("envoy_cluster_name", CLUSTER));
        }
        assertThat(named(clientPage, "zonemesh_failover_events_total").stream()
                        .map(f -> f.labels().get("reason"))
                        .toList())
                .containsExactlyInAnyOrder("panic", "outlier_ejection", "priority_unhealthy");
        List<Sample> source = named(clientPage, "istio_requests_total");
        assertThat(source).hasSize(1);
        Map<String, String> s = source.get(0).labels();
        assertThat(source.get(0).value()).isEqualTo(3.0);
        assertThat(s)
                .containsEntry("reporter", "source")
                .containsEntry("source_workload", "sleep")
                .containsEntry("source_workload_namespace", "sample")
                .containsEntry("source_app", "sleep")
                .containsEntry("source_version", "v2")
                .containsEntry("source_canonical_service", "sleep")
                .containsEntry("source_canonical_revision", "v2")
                .containsEntry("source_zone", "us-east1-a")
                .containsEntry("source_region", "us-east1")
                .containsEntry("destination_workload", "httpbin")
                .containsEntry("destination_workload_namespace", "sample")
                .containsEntry("destination_canonical_service", "httpbin")
                .containsEntry("destination_canonical_revision", "v1")
                .containsEntry("destination_cluster", "Kubernetes")
                .containsEntry("destination_service", HOST)
                .containsEntry("destination_service_name", "httpbin")
                .containsEntry("destination_service_namespace", "sample")
                .containsEntry("destination_zone", "us-east1-b")
                .containsEntry("destination_region", "us-east1")
                .containsEntry("request_protocol", "http")
                .containsEntry("response_code", "200")
                .containsEntry("response_flags", "-")
                .containsEntry("connection_security_policy", "unknown");

        List<Sample> server = scrape(this.server);
        List<Sample> destination = named(server, "istio_requests_total");
        assertThat(destination).hasSize(1);
        assertThat(destination.get(0).value()).isEqualTo(3.0);
        assertThat(destination.get(0).labels())
                .containsEntry("reporter", "destination")
                .containsEntry("source_principal", CLIENT_ID)
                .containsEntry("source_workload", "unknown")
                .containsEntry("destination_workload", "httpbin")
                .containsEntry("destination_principal", SERVER_ID)
                .containsEntry("destination_app", "httpbin")
                .containsEntry("destination_version", "v1")
                .containsEntry("destination_zone", "us-east1-b")
                .containsEntry("destination_service", "httpbin.sample")
                .containsEntry("destination_service_namespace", "sample")
                .containsEntry("response_code", "200")
                .containsEntry("connection_security_policy", "mutual_tls");
        assertThat(named(server, "istio_request_duration_milliseconds_count"))
                .singleElement()
                .extracting(Sample::value)
                .isEqualTo(3.0);
        assertThat(named(server, "istio_request_duration_milliseconds_bucket").stream()
                        .map(b -> b.labels().get("le"))
                        .toList())
                .contains("0.5", "1.0", "3600000.0", "+Inf");
        assertThat(named(server, "istio_response_bytes_count"))
                .singleElement()
                .extracting(Sample::value)
                .isEqualTo(3.0);
        assertThat(named(server, "istio_request_bytes_count"))
                .singleElement()
                .extracting(Sample::value)
                .isEqualTo(3.0);
    }
}
