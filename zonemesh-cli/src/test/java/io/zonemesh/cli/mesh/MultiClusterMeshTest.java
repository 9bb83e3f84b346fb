package io.zonemesh.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.cli.demo.ExampleFiles;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.config.EndpointAssignment;
import io.zonemesh.proxy.xds.XdsResource;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code zonemesh up --cluster} without the east-west gateways' passthrough listener: two control
 * planes over real gRPC, each discovering the other through the remote secret in its YAML. Checks
 * what each cluster's sidecars are told (split horizon: the remote network's pods behind its gateway's
 * loadBalancerIP on 15443, in their own locality), the endpoints' cluster and network, the CAs
 * (intermediates of one root) and that a change in one cluster reaches the other.
 */
class MultiClusterMeshTest {
    private static final String HELLOWORLD = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String HOST = "helloworld.sample.svc.cluster.local";
    private static final List<String> CLUSTER1 = List.of(
            "cluster1/cluster.yaml",
            "cluster1/eastwest-gateway.yaml",
            "cluster1/remote-secret.yaml",
            "cluster1/helloworld.yaml",
            "cluster1/sleep.yaml");
    private static final List<String> CLUSTER2 = List.of(
            "cluster2/cluster.yaml",
            "cluster2/eastwest-gateway.yaml",
            "cluster2/remote-secret.yaml",
            "cluster2/helloworld.yaml");

    @Test
    void eachClusterSeesTheOtherNetworksPodsBehindItsGatewayAndFollowsItsChanges() throws Exception {
        List<String> all = new ArrayList<>(CLUSTER1);
        all.addAll(CLUSTER2);
        Path dir = ExampleFiles.extract("multicluster", all);
        MeshConfigBundle cluster1 = withoutGateways(load(dir, CLUSTER1));
        MeshConfigBundle cluster2 = withoutGateways(load(dir, CLUSTER2));
        List<String> warnings = new ArrayList<>();
        try (MultiClusterMesh mesh = MultiClusterMesh.start(
                List.of(new MultiClusterMesh.Member("c1", cluster1), new MultiClusterMesh.Member("c2", cluster2)),
                RandomSource.seededThreadSafe(7),
                Duration.ofHours(1),
                warnings::add)) {
            // The IstioOperators' clusterName wins over the command line's names.
            assertThat(mesh.clusters()).containsOnlyKeys("cluster1", "cluster2");
            assertThat(mesh.remotesOf("cluster1")).containsExactly("cluster2");
            assertThat(mesh.remotesOf("cluster2")).containsExactly("cluster1");
            assertThat(warnings).isEmpty();
            mesh.awaitConverged(Duration.ofSeconds(30));

            LocalMesh c1 = mesh.cluster("cluster1");
            LocalMesh c2 = mesh.cluster("cluster2");
            Map<String, String> networkByCluster = new TreeMap<>();
            for (Endpoint e : c1.registry().state().endpoints(HOST, 5000)) {
                networkByCluster.put(e.cluster(), e.network());
            }
            assertThat(networkByCluster).isEqualTo(Map.of("cluster1", "network1", "cluster2", "network2"));

            ZonemeshProxy sleep = c1.sidecarOf("sample", "sleep");
            ZonemeshProxy v1 = c1.sidecarOf("sample", "helloworld-v1");
            assertThat(sleep).isNotNull();
            assertThat(v1).isNotNull();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(hosts(sleep))
                            .containsExactly(
                                    "region1/zone1/ 127.0.0.1:" + v1.inboundPort(5000),
                                    "region2/zone2/ 127.0.12.2:15443"));
            ZonemeshProxy v2 = c2.sidecarOf("sample", "helloworld-v2");
            assertThat(v2).isNotNull();

            // One root, an intermediate per cluster: each cluster's workloads chain to the other's root.
            X509Certificate root1 = c1.ca().roots().get(0);
            assertThat(c2.ca().roots()).containsExactly(root1);
            assertThat(c1.ca().signingCertificate()).isNotEqualTo(c2.ca().signingCertificate());
            assertThat(c1.ca().signingCertificate().getSubjectX500Principal().getName())
                    .contains("L=cluster1");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> v2.workloadSecrets().current() != null);
            X509Certificate v2Intermediate =
                    v2.workloadSecrets().current().chain().get(1);
            v2Intermediate.verify(root1.getPublicKey());

            // cluster2 scales helloworld-v2 away: cluster1's sidecars lose the remote locality.
            List<io.zonemesh.config.k8s.K8sDeployment> kept = new ArrayList<>();
            cluster2.deployments().stream()
                    .filter(d -> !d.meta().name().equals("helloworld-v2"))
                    .forEach(kept::add);
            mesh.apply(
                    "cluster2",
                    new MeshConfigBundle(
                            cluster2.namespaces(),
                            cluster2.nodes(),
                            cluster2.services(),
                            kept,
                            cluster2.pods(),
                            cluster2.istio(),
                            cluster2.secrets(),
                            cluster2.serviceAccounts(),
                            cluster2.istioOperators()));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(hosts(sleep))
                            .containsExactly("region1/zone1/ 127.0.0.1:" + v1.inboundPort(5000)));
        }
    }

    @Test
    void aRemoteSecretForAnUnknownClusterIsAWarningAndTwoClustersWithOneNameAreRefused() throws Exception {
        Path dir = ExampleFiles.extract("multicluster", CLUSTER1);
        MeshConfigBundle cluster1 = withoutGateways(load(dir, CLUSTER1));
        List<String> warnings = new ArrayList<>();
        try (MultiClusterMesh mesh = MultiClusterMesh.start(
                List.of(new MultiClusterMesh.Member("c1", cluster1)),
                RandomSource.seededThreadSafe(7),
                Duration.ofHours(1),
                warnings::add)) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            assertThat(mesh.remotesOf("cluster1")).isEmpty();
            assertThat(warnings)
                    .containsExactly("cluster cluster1: Secret istio-system/istio-remote-secret-cluster2 names "
                            + "cluster cluster2, which is not one of --cluster [cluster1]; its endpoints are not "
                            + "discovered");
        }
        assertThatThrownBy(() -> MultiClusterMesh.start(
                        List.of(new MultiClusterMesh.Member("a", cluster1), new MultiClusterMesh.Member("b", cluster1)),
                        RandomSource.seededThreadSafe(7),
                        Duration.ofHours(1),
                        w -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--cluster b: cluster name cluster1 is used twice");
    }

    /** Locality and address of each host sleep's sidecar has for helloworld, sorted. */
    private static List<String> hosts(ZonemeshProxy proxy) {
        XdsResource<EndpointAssignment> eds =
                proxy.snapshot().resources().endpoints().get(HELLOWORLD);
        TreeSet<String> out = new TreeSet<>();
        if (eds != null) {
            for (HostSpec h : eds.parsed().hosts()) {
                out.add(h.locality() + " " + h.address() + ":" + h.port());
            }
        }
        return List.copyOf(out);
    }

    private static MeshConfigBundle load(Path dir, List<String> files) {
        List<Path> paths = new ArrayList<>();
        files.forEach(f -> paths.add(dir.resolve(f)));
        LoadResult r = new ConfigLoader().loadLayers(paths);
        assertThat(r.hasErrors()).as("%s", r.diagnostics()).isFalse();
        return r.bundle();
    }

    /** Until the gateway proxy serves AUTO_PASSTHROUGH (tcp_proxy), its pod runs without the Gateway. */
    private static MeshConfigBundle withoutGateways(MeshConfigBundle b) {
        IstioConfig i = b.istio();
        return b.withIstio(new IstioConfig(
                i.destinationRules(),
                i.virtualServices(),
                i.serviceEntries(),
                i.workloadEntries(),
                List.of(),
                i.sidecars()));
    }
}
