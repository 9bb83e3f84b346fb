package io.zonemesh.cli.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.zonemesh.cli.demo.ExampleFiles;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Workload;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.xds.LoadAssignmentExplainer;
import io.zonemesh.xds.ProxyIdentities;
import io.zonemesh.xds.ProxyIdentity;
import io.zonemesh.xds.XdsGenerator;
import io.zonemesh.xds.XdsResources;
import io.zonemesh.xds.locality.LocalityExplanation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One case per locality rule: the example meshes loaded by the same config loader and registry as
 * {@code zonemesh up}, explained by the EDS code path ({@link LoadAssignmentExplainer}), printed
 * by the command's table.
 */
class ExplainRulesTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String REVIEWS = "outbound|9080||reviews.shop.svc.cluster.local";
    private static final List<String> MULTI_AZ = List.of("cluster.yaml", "apps.yaml");

    @Test
    void defaultFailoverRanksTheOwnZoneFirstAndTheOtherZoneNext() throws Exception {
        LocalityExplanation e = explain(
                mesh("multi-az", List.of("cluster.yaml", "apps.yaml", "locality-failover.yaml")), "sleep-az01", HELLO);
        assertThat(e.setting())
                .contains("DestinationRule localityLbSetting", "outlierDetection set", "failover enabled");
        assertThat(e.rows())
                .extracting(LocalityExplanation.Row::locality, LocalityExplanation.Row::priority)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("sg/az01", 0),
                        org.assertj.core.groups.Tuple.tuple("sg/az02", 1));
        assertThat(e.rows().get(0).reasons())
                .containsExactly("default failover: same region, zone and subzone as the proxy (sg/az01)");
        assertThat(e.rows().get(1).reasons()).containsExactly("default failover: same region sg, other zone");
        assertThat(table(e))
                .containsPattern("(?m)^0 +sg/az01 +1 +\\S+:\\d+ +HEALTHY +default failover: same region, zone");
    }

    @Test
    void withoutOutlierDetectionTheGateKeepsEveryLocalityAtPriorityZero() throws Exception {
        LocalityExplanation e = explain(mesh("multi-az", MULTI_AZ), "sleep-az01", HELLO);
        assertThat(e.setting())
                .contains("mesh default localityLbSetting", "no outlierDetection", "failover not applied");
        assertThat(e.clusterReasons())
                .singleElement()
                .asString()
                .startsWith("outlier-detection gate: the DestinationRule has no outlierDetection");
        assertThat(e.rows()).extracting(LocalityExplanation.Row::priority).containsExactly(0, 0);
        assertThat(table(e)).contains("note: outlier-detection gate");
    }

    @Test
    void distributeNamesTheEntryAndShareAndShowsTheUnlistedZoneAsNotSent() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml", "distribute.yaml.alt"));
        Files.move(dir.resolve("distribute.yaml.alt"), dir.resolve("distribute.yaml"));
        LocalityExplanation e = explain(load(dir), "sleep-az01", HELLO);
        assertThat(e.rows()).singleElement().satisfies(r -> {
            assertThat(r.locality()).isEqualTo("sg/az01");
            assertThat(r.weight()).isEqualTo(100);
            assertThat(r.reasons())
                    .containsExactly("distribute from sg/az01/*: to sg/az01/* 100% (this locality's weight 100)");
        });
        assertThat(e.excluded()).singleElement().satisfies(r -> {
            assertThat(r.locality()).isEqualTo("sg/az02");
            assertThat(r.reasons())
                    .containsExactly("distribute from sg/az01/*: locality not listed in to, gets no traffic");
        });
        assertThat(table(e)).containsPattern("(?m)^- +sg/az02 +0 .*not sent: distribute from sg/az01/\\*");
    }

    @Test
    void aFailoverEntryNamesTheDesignatedRegion() throws Exception {
        Path dir = ExampleFiles.extract("cross-region", List.of("mesh.yaml", "failover.yaml.alt"));
        // failover.yaml.alt replaces the distribute rule of mesh.yaml, as the example's README says.
        String mesh = Files.readString(dir.resolve("mesh.yaml"));
        Files.writeString(dir.resolve("mesh.yaml"), mesh.substring(0, mesh.lastIndexOf("---")));
        Files.move(dir.resolve("failover.yaml.alt"), dir.resolve("failover.yaml"));
        LocalityExplanation e = explain(load(dir), "frontend-hangzhou", REVIEWS);
        assertThat(e.rows())
                .extracting(LocalityExplanation.Row::locality)
                .containsExactly("cn-hangzhou/cn-hangzhou-h", "cn-shanghai/cn-shanghai-b");
        assertThat(e.rows().get(1).priority()).isEqualTo(1);
        assertThat(e.rows().get(1).reasons())
                .containsExactly(
                        "failover {from: cn-hangzhou, to: cn-shanghai}: the designated region, before every other region");
    }

    @Test
    void crossRegionDistributeGivesEachRegionItsPercentage() throws Exception {
        LocalityExplanation e = explain(mesh("cross-region", List.of("mesh.yaml")), "frontend-hangzhou", REVIEWS);
        assertThat(e.rows()).extracting(LocalityExplanation.Row::weight).containsExactly(90, 10);
        assertThat(e.rows().get(1).reasons())
                .singleElement()
                .asString()
                .startsWith("distribute from cn-hangzhou/*: to cn-shanghai/* 10%");
    }

    @Test
    void failoverPriorityNamesWhichLabelsMatched() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", MULTI_AZ);
        Files.writeString(dir.resolve("failover-priority.yaml"), """
                apiVersion: networking.istio.io/v1beta1
                kind: DestinationRule
                metadata: {name: helloworld, namespace: sample}
                spec:
                  host: helloworld.sample.svc.cluster.local
                  trafficPolicy:
                    loadBalancer:
                      localityLbSetting:
                        enabled: true
                        failoverPriority: [topology.kubernetes.io/region, topology.kubernetes.io/zone]
                    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 1m}
                """);
        LocalityExplanation e = explain(load(dir), "sleep-az02", HELLO);
        assertThat(e.rows()).extracting(LocalityExplanation.Row::locality).containsExactly("sg/az02", "sg/az01");
        assertThat(e.rows().get(0).reasons())
                .containsExactly("failoverPriority rank 0: topology.kubernetes.io/region=sg"
                        + " matches, topology.kubernetes.io/zone=az02 matches");
        assertThat(e.rows().get(1).reasons())
                .containsExactly("failoverPriority rank 1: topology.kubernetes.io/region=sg"
                        + " matches, topology.kubernetes.io/zone=az01 differs (want az02)");
    }

    @Test
    void trafficDistributionFailsOverWithoutOutlierDetection() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", MULTI_AZ);
        String apps = Files.readString(dir.resolve("apps.yaml"));
        String service = "  ports: [{port: 5000, name: http}]\n";
        assertThat(apps).contains(service);
        Files.writeString(
                dir.resolve("apps.yaml"), apps.replace(service, service + "  trafficDistribution: PreferClose\n"));
        LocalityExplanation e = explain(load(dir), "sleep-az01", HELLO);
        // The loader normalizes PreferClose to PreferSameZone, its current name (Kubernetes 1.33).
        assertThat(e.setting())
                .startsWith("Service trafficDistribution: PreferSameZone")
                .contains("failover enabled");
        assertThat(e.clusterReasons()).isEmpty();
        assertThat(e.rows()).extracting(LocalityExplanation.Row::priority).containsExactly(0, 1);
        assertThat(e.rows().get(1).reasons())
                .singleElement()
                .asString()
                .startsWith("failoverPriority rank ")
                .contains("topology.kubernetes.io/zone=az02 differs (want az01)");
    }

    @Test
    void zoneAwareRoutingKeepsTheRegionInOnePriority() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", MULTI_AZ);
        Files.writeString(dir.resolve("zone-aware.yaml"), """
                apiVersion: networking.istio.io/v1beta1
                kind: DestinationRule
                metadata: {name: helloworld, namespace: sample}
                spec:
                  host: helloworld.sample.svc.cluster.local
                  trafficPolicy:
                    loadBalancer:
                      zoneAwareLbSetting: {minClusterSize: 1}
                """);
        LocalityExplanation e = explain(load(dir), "sleep-az01", HELLO);
        assertThat(e.setting()).startsWith("DestinationRule zoneAwareLbSetting");
        assertThat(e.rows()).extracting(LocalityExplanation.Row::priority).containsExactly(0, 0);
        assertThat(e.rows().get(1).reasons())
                .singleElement()
                .asString()
                .startsWith("zoneAwareLbSetting: region bucket 0");
    }

    @Test
    void disabledLocalityLoadBalancingSaysSo() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", MULTI_AZ);
        Files.writeString(dir.resolve("off.yaml"), """
                apiVersion: networking.istio.io/v1beta1
                kind: DestinationRule
                metadata: {name: helloworld, namespace: sample}
                spec:
                  host: helloworld.sample.svc.cluster.local
                  trafficPolicy:
                    loadBalancer:
                      localityLbSetting: {enabled: false}
                    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 1m}
                """);
        LocalityExplanation e = explain(load(dir), "sleep-az01", HELLO);
        assertThat(e.setting()).isEqualTo("DestinationRule localityLbSetting enabled: false: no locality LB");
        assertThat(e.clusterReasons()).containsExactly("no locality LB: one priority 0, weights are endpoint weights");
        assertThat(e.rows()).extracting(LocalityExplanation.Row::priority).containsExactly(0, 0);
    }

    private static MeshState mesh(String example, List<String> files) throws Exception {
        return load(ExampleFiles.extract(example, files));
    }

    private static MeshState load(Path dir) {
        LoadResult loaded = new ConfigLoader().load(dir);
        assertThat(loaded.hasErrors()).as("%s", loaded.diagnostics()).isFalse();
        return MeshRegistry.synthetic(MeshSettings.DEFAULT, loaded.bundle()).state();
    }

    /** As the control plane's /debug/explain: the pod's Node, completed from the registry's workload. */
    private static LocalityExplanation explain(MeshState state, String owner, String cluster) {
        Workload w = state.workloads().stream()
                .filter(x -> x.owner().equals(owner))
                .findFirst()
                .orElseThrow();
        Node node = Node.newBuilder()
                .setId(w.name() + "." + w.namespace())
                .setMetadata(Struct.newBuilder()
                        .putFields(
                                "NAME",
                                Value.newBuilder().setStringValue(w.name()).build())
                        .putFields(
                                "NAMESPACE",
                                Value.newBuilder().setStringValue(w.namespace()).build()))
                .build();
        ProxyIdentity identity = ProxyIdentities.fromNode(node, w, state.settings(), Map.of());
        LocalityExplanation e = LoadAssignmentExplainer.explain(state, identity, cluster);
        assertMatchesPushedEds(e, new XdsGenerator().generate(state, identity), cluster);
        return e;
    }

    /** The explanation's table is the EDS the proxy is sent: same localities, priorities, weights, endpoints. */
    private static void assertMatchesPushedEds(LocalityExplanation e, XdsResources pushed, String cluster) {
        ClusterLoadAssignment cla = pushed.endpoints().stream()
                .filter(c -> c.getClusterName().equals(cluster))
                .findFirst()
                .orElseThrow();
        assertThat(e.rows()).hasSize(cla.getEndpointsCount());
        for (int i = 0; i < cla.getEndpointsCount(); i++) {
            LocalityLbEndpoints lle = cla.getEndpoints(i);
            LocalityExplanation.Row row = e.rows().get(i);
            assertThat(row.priority()).isEqualTo(lle.getPriority());
            assertThat(row.weight()).isEqualTo(lle.getLoadBalancingWeight().getValue());
            assertThat(row.locality())
                    .startsWith(lle.getLocality().getRegion() + "/"
                            + lle.getLocality().getZone());
            assertThat(row.endpoints())
                    .extracting(LocalityExplanation.EndpointRow::address)
                    .containsExactlyElementsOf(lle.getLbEndpointsList().stream()
                            .map(l -> l.getEndpoint().getAddress().getSocketAddress())
                            .map(a -> a.getAddress() + ":" + a.getPortValue())
                            .toList());
        }
    }

    private static String table(LocalityExplanation e) throws Exception {
        StringWriter out = new StringWriter();
        ObjectMapper json = new ObjectMapper();
        ExplainTable.print(json.readTree(json.writeValueAsString(e)), new PrintWriter(out, true));
        return out.toString();
    }
}
