package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.k8s.K8sDeployment;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.model.istio.ClientTls;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LoadBalancerSettings.SimpleLb;
import io.zonemesh.model.istio.LocalityLbSetting;
import io.zonemesh.model.istio.ServiceEntryConfig;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.model.istio.VirtualServiceConfig.StringMatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every example mesh (and every .alt alternative) loads cleanly and converts faithfully. */
class ExamplesTest {
    private final ConfigLoader loader = new ConfigLoader();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "canary",
                "cross-region",
                "external-failover",
                "multi-az",
                "cross-region/failover.yaml.alt",
                "multi-az/distribute.yaml.alt",
                "multi-az/locality-failover.yaml"
            })
    void loadsWithoutAnyDiagnostic(String example) {
        LoadResult r = loader.load(Examples.path(example));

        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.hasErrors()).isFalse();
    }

    @Test
    void directoryReadsItsYamlFilesInNameOrderButNotTheAlternatives() {
        MeshConfigBundle b = loader.load(Examples.path("multi-az")).bundle();

        assertThat(b.nodes())
                .extracting(n -> n.meta().name())
                .containsExactly("cluster1-control-plane", "cluster1-worker", "cluster1-worker2");
        assertThat(b.services()).extracting(s -> s.meta().source()).allMatch(s -> s.endsWith("apps.yaml"));
        assertThat(b.deployments())
                .extracting(d -> d.meta().name())
                .containsExactly("sleep-az01", "sleep-az02", "helloworld-az01", "helloworld-az02");
        assertThat(b.istio().destinationRules())
                .singleElement()
                .satisfies(dr -> assertThat(dr.meta().source()).endsWith("locality-failover.yaml"));
    }

    @Test
    void clusterScopedResourcesHaveNoNamespaceAndNamespacedOnesKeepTheirs() {
        MeshConfigBundle b = loader.load(Examples.path("multi-az")).bundle();

        assertThat(b.nodes().get(1).meta().namespace()).isEmpty();
        assertThat(b.nodes().get(1).meta().labels()).containsEntry("topology.kubernetes.io/zone", "az01");
        assertThat(b.namespaces()).singleElement().satisfies(n -> {
            assertThat(n.meta().namespace()).isEmpty();
            assertThat(n.meta().labels()).containsEntry("istio-injection", "enabled");
        });
        assertThat(b.services()).allMatch(s -> s.meta().namespace().equals("sample"));
    }

    @Test
    void resourcesRememberTheirFileAndDocument() {
        MeshConfigBundle b = loader.load(Examples.path("multi-az")).bundle();

        K8sService helloworld = b.services().get(1);
        assertThat(helloworld.meta().source())
                .isEqualTo(Examples.path("multi-az/apps.yaml").toString());
        assertThat(helloworld.meta().document()).isEqualTo(4);
        assertThat(helloworld.meta().ref()).isEqualTo("Service/sample/helloworld");
    }

    @Test
    void kubernetesServicePortsGetKubernetesDefaults() {
        MeshConfigBundle b = loader.load(Examples.path("canary")).bundle();

        K8sService gateway = b.services().get(0);
        assertThat(gateway.ports())
                .singleElement()
                .isEqualTo(new K8sService.Port("http2", 80, 8080, null, "TCP", null));
        K8sService helloworld =
                loader.load(Examples.path("multi-az")).bundle().services().get(1);
        assertThat(helloworld.ports())
                .singleElement()
                .isEqualTo(new K8sService.Port("http", 5000, 0, null, "TCP", null));
        assertThat(helloworld.selector()).isEqualTo(Map.of("app", "helloworld"));
        assertThat(helloworld.clusterIp()).isNull();
    }

    @Test
    void deploymentsKeepReplicasTemplateAndLiteralEnvironment() {
        MeshConfigBundle b = loader.load(Examples.path("multi-az")).bundle();

        K8sDeployment d = b.deployments().get(2);
        assertThat(d.replicas()).isEqualTo(1);
        assertThat(d.matchLabels()).isEqualTo(Map.of("app", "helloworld", "version", "az01"));
        assertThat(d.template().labels()).isEqualTo(Map.of("app", "helloworld", "version", "az01"));
        assertThat(d.template().annotations()).isEqualTo(Map.of("sidecar.istio.io/inject", "false"));
        assertThat(d.template().nodeSelector()).isEqualTo(Map.of("topology.kubernetes.io/zone", "az01"));
        assertThat(d.template().containers()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("helloworld");
            assertThat(c.image()).isEqualTo("docker.io/istio/examples-helloworld-v1");
            assertThat(c.env()).isEqualTo(Map.of("SERVICE_VERSION", "az01"));
            assertThat(c.ports()).singleElement().satisfies(p -> {
                assertThat(p.containerPort()).isEqualTo(5000);
                assertThat(p.protocol()).isEqualTo("TCP");
            });
        });
        assertThat(loader.load(Examples.path("canary"))
                        .bundle()
                        .deployments()
                        .get(1)
                        .replicas())
                .isEqualTo(2);
    }

    @Test
    void canaryDestinationRuleConvertsEveryPolicy() {
        DestinationRuleConfig dr = loader.load(Examples.path("canary"))
                .bundle()
                .istio()
                .destinationRules()
                .get(0);

        assertThat(dr.host()).isEqualTo("istio-test");
        var tp = dr.trafficPolicy();
        assertThat(tp.loadBalancer().simple()).isEqualTo(SimpleLb.RANDOM);
        assertThat(tp.connectionPool().tcp().maxConnections()).isEqualTo(100);
        assertThat(tp.connectionPool().tcp().connectTimeout()).isEqualTo(Duration.ofMillis(30));
        assertThat(tp.connectionPool().http().http2MaxRequests()).isEqualTo(1000);
        assertThat(tp.connectionPool().http().maxRequestsPerConnection()).isEqualTo(10);
        assertThat(tp.outlierDetection().consecutive5xxErrors()).isEqualTo(7);
        assertThat(tp.outlierDetection().interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(tp.outlierDetection().baseEjectionTime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(tp.outlierDetection().maxEjectionPercent()).isNull();
        assertThat(dr.subsets()).extracting(DestinationRuleConfig.Subset::name).containsExactly("v1", "v2", "v3");
        assertThat(dr.subsets().get(1).labels()).isEqualTo(Map.of("version", "v2"));
        assertThat(dr.subsets().get(1).trafficPolicy().loadBalancer().simple()).isEqualTo(SimpleLb.ROUND_ROBIN);
        assertThat(dr.subsets().get(0).trafficPolicy()).isNull();
    }

    @Test
    void canaryVirtualServiceConvertsMatchesWeightsFaultsRetriesAndTimeouts() {
        VirtualServiceConfig vs = loader.load(Examples.path("canary"))
                .bundle()
                .istio()
                .virtualServices()
                .get(0);

        assertThat(vs.hosts()).containsExactly("istiotest.example.com", "istio-test.dev.svc.cluster.local");
        assertThat(vs.gateways()).containsExactly("test-gateway", "mesh");
        assertThat(vs.http()).hasSize(3);
        var alice = vs.http().get(0);
        assertThat(alice.match())
                .singleElement()
                .satisfies(m -> assertThat(m.headers())
                        .isEqualTo(Map.of("user", new StringMatch(StringMatch.Kind.EXACT, "alice"))));
        assertThat(alice.route()).singleElement().satisfies(r -> {
            assertThat(r.destination().subset()).isEqualTo("v1");
            assertThat(r.weight()).isEqualTo(100);
        });
        var v3 = vs.http().get(1);
        assertThat(v3.match().get(0).uri()).isEqualTo(new StringMatch(StringMatch.Kind.PREFIX, "/v3"));
        assertThat(v3.fault().abort()).isEqualTo(new VirtualServiceConfig.Fault.Abort(400, 10.0));
        assertThat(v3.fault().delay()).isNull();
        var split = vs.http().get(2);
        assertThat(split.route())
                .extracting(VirtualServiceConfig.RouteDestination::weight)
                .containsExactly(90, 10);
        assertThat(split.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(split.retries().attempts()).isEqualTo(3);
        assertThat(split.retries().perTryTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void canaryGatewayConvertsItsServer() {
        var gw =
                loader.load(Examples.path("canary")).bundle().istio().gateways().get(0);

        assertThat(gw.selector()).isEqualTo(Map.of("istio", "ingressgateway"));
        assertThat(gw.servers()).singleElement().satisfies(s -> {
            assertThat(s.port()).isEqualTo(80);
            assertThat(s.portName()).isEqualTo("http");
            assertThat(s.protocol()).isEqualTo("HTTP");
            assertThat(s.hosts()).containsExactly("*");
            assertThat(s.tls()).isNull();
        });
    }

    @Test
    void serviceEntryKeepsEndpointsWithTheirLocalityAndPorts() {
        MeshConfigBundle b = loader.load(Examples.path("external-failover")).bundle();

        ServiceEntryConfig se = b.istio().serviceEntries().get(0);
        assertThat(se.hosts()).containsExactly("mydb.example.com");
        assertThat(se.location()).isEqualTo(ServiceEntryConfig.Location.MESH_EXTERNAL);
        assertThat(se.resolution()).isEqualTo(ServiceEntryConfig.Resolution.DNS);
        assertThat(se.ports()).containsExactly(new ServiceEntryConfig.Port(80, "HTTP", "http", null));
        assertThat(se.endpoints()).extracting(e -> e.locality()).containsExactly("us-east1", "us-west1");
        assertThat(se.endpoints())
                .extracting(e -> e.ports())
                .containsExactly(Map.of("http", 18081), Map.of("http", 18082));
        DestinationRuleConfig dr = b.istio().destinationRules().get(0);
        assertThat(dr.trafficPolicy().loadBalancer().localityLbSetting())
                .isEqualTo(new LocalityLbSetting(
                        true, List.of(), List.of(new LocalityLbSetting.Failover("us-east1", "us-west1")), List.of()));
        assertThat(dr.trafficPolicy().tls()).isNull();
    }

    @Test
    void distributeKeepsItsWeightsInWrittenOrder() {
        DestinationRuleConfig dr = loader.load(Examples.path("cross-region"))
                .bundle()
                .istio()
                .destinationRules()
                .get(0);

        LocalityLbSetting setting = dr.trafficPolicy().loadBalancer().localityLbSetting();
        assertThat(setting.enabled()).isTrue();
        assertThat(setting.distribute()).singleElement().satisfies(d -> {
            assertThat(d.from()).isEqualTo("cn-hangzhou/*");
            assertThat(d.to()).containsExactly(Map.entry("cn-hangzhou/*", 90), Map.entry("cn-shanghai/*", 10));
        });
    }

    @Test
    void laterLayerReplacesTheResourceOfTheSameIdentity() {
        LoadResult r = loader.loadLayers(
                List.of(Examples.path("cross-region"), Examples.path("cross-region/failover.yaml.alt")));

        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.bundle().istio().destinationRules()).singleElement().satisfies(dr -> {
            assertThat(dr.meta().source()).endsWith("failover.yaml.alt");
            assertThat(dr.trafficPolicy().loadBalancer().localityLbSetting().failover())
                    .containsExactly(
                            new LocalityLbSetting.Failover("cn-hangzhou", "cn-shanghai"),
                            new LocalityLbSetting.Failover("cn-shanghai", "cn-hangzhou"));
            assertThat(dr.trafficPolicy().connectionPool().http().maxRequestsPerConnection())
                    .isEqualTo(1);
        });
        assertThat(r.bundle().services()).hasSize(2);
    }

    @Test
    void unsetTlsModeMeansDisable() {
        LoadResult r = loader.loadString("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: r}
                spec:
                  host: r
                  trafficPolicy:
                    tls: {sni: r.example.com}
                """, "tls.yaml");

        assertThat(r.diagnostics()).isEmpty();
        DestinationRuleConfig dr = r.bundle().istio().destinationRules().get(0);
        assertThat(dr.meta().namespace()).isEqualTo("default");
        assertThat(dr.trafficPolicy().tls().mode()).isEqualTo(ClientTls.Mode.DISABLE);
        assertThat(dr.trafficPolicy().tls().sni()).isEqualTo("r.example.com");
    }
}
