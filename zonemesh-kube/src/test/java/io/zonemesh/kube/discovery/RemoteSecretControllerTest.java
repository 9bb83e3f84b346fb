package io.zonemesh.kube.discovery;

import static io.zonemesh.kube.discovery.ClusterObjects.endpoint;
import static io.zonemesh.kube.discovery.ClusterObjects.node;
import static io.zonemesh.kube.discovery.ClusterObjects.pod;
import static io.zonemesh.kube.discovery.ClusterObjects.service;
import static io.zonemesh.kube.discovery.ClusterObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.zonemesh.common.Clock;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.MeshRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote secrets against two API servers (two CRUD mock servers): the local control plane sees
 * the remote cluster's endpoints once a remote secret names it, labelled with the remote
 * cluster and network; a bad kubeconfig leaves everything else alone; deleting the secret
 * removes the remote endpoints.
 */
class RemoteSecretControllerTest {
    private static final String HOST = "helloworld.sample.svc.cluster.local";
    private static final String SYSTEM = "zonemesh-system";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private KubernetesMockServer localServer;
    private KubernetesMockServer remoteServer;
    private KubernetesClient local;
    private KubernetesClient remote;
    private MeshRegistry registry;
    private KubeDiscovery discovery;
    private RemoteSecretController remotes;

    static KubernetesMockServer crudServer() {
        ClusterObjects.mockLog();
        KubernetesMockServer s = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        s.init();
        return s;
    }

    @BeforeEach
    void clusters() throws Exception {
        localServer = crudServer();
        remoteServer = crudServer();
        local = localServer.createClient();
        remote = remoteServer.createClient();
        // Same namespace, node and pod names in both clusters, as two real clusters would have.
        populate(local, "net1", "r1", "10.0.0.1", "v1");
        populate(remote, "net2", "r2", "10.1.0.1", "v2");
        registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, MeshConfigBundle.EMPTY);
        MeshAggregate aggregate = new MeshAggregate(registry, "c1", SYSTEM);
        discovery = new KubeDiscovery(local, aggregate.sink("c1"), Clock.system());
        discovery.start(WAIT);
        remotes = new RemoteSecretController(local, SYSTEM, aggregate, Clock.system(), WAIT, discovery::synced);
        remotes.start();
    }

    private static void populate(KubernetesClient c, String network, String region, String ip, String version) {
        c.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(SYSTEM)
                        .withLabels(Map.of("topology.istio.io/network", network))
                        .endMetadata()
                        .build())
                .create();
        c.resource(ClusterObjects.namespace()).create();
        c.resource(node("node-a", region, "z1")).create();
        c.resource(service("helloworld", 5000)).create();
        c.resource(pod("hw-0", "helloworld", version, "node-a", ip)).create();
        c.resource(slice("helloworld-x", "helloworld", 5000, List.of(endpoint("hw-0", ip, "node-a", true, false))))
                .create();
    }

    @AfterEach
    void stop() {
        remotes.close();
        discovery.close();
        local.close();
        remote.close();
        localServer.destroy();
        remoteServer.destroy();
    }

    /** address -> cluster/network/region/version. */
    private Map<String, String> view() {
        return registry.state().endpoints(HOST, 5000).stream()
                .collect(Collectors.toMap(
                        Endpoint::address,
                        e -> e.cluster() + "/" + e.network() + "/"
                                + e.locality().region() + "/" + e.labels().get("version"),
                        (a, b) -> a + "," + b,
                        TreeMap::new));
    }

    private static Secret remoteSecret(Map<String, String> kubeconfigs) {
        Map<String, String> data = new TreeMap<>();
        kubeconfigs.forEach(
                (k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withNewMetadata()
                .withName("istio-remote-secret-c2")
                .withNamespace(SYSTEM)
                .withLabels(Map.of("istio/multiCluster", "true"))
                .withAnnotations(Map.of("networking.istio.io/cluster", "c2"))
                .endMetadata()
                .withData(data)
                .build();
    }

    static String kubeconfig(KubernetesClient target) {
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "SERVER"}}]
                users: [{name: c, user: {token: reader-token}}]
                contexts: [{name: c, context: {cluster: c, user: c}}]
                current-context: c
                """.replace("SERVER", target.getMasterUrl().toString());
    }

    @Test
    void remoteClusterEndpointsJoinWithTheirClusterAndNetworkAndLeaveWithTheSecret() {
        await().atMost(WAIT).until(() -> view().equals(Map.of("10.0.0.1", "c1/net1/r1/v1")));

        local.resource(remoteSecret(Map.of("c2", kubeconfig(remote)))).create();
        // The remote pod's name and node name are the local ones too: it still joins its own node (r2).
        await().atMost(WAIT)
                .until(() -> view().equals(Map.of("10.0.0.1", "c1/net1/r1/v1", "10.1.0.1", "c2/net2/r2/v2")));
        assertThat(remotes.clusters())
                .containsExactly(
                        Map.of("id", "c1", "secretName", "", "syncStatus", "synced"),
                        Map.of("id", "c2", "secretName", SYSTEM + "/istio-remote-secret-c2", "syncStatus", "synced"));

        // The remote cluster is watched: a pod labelled with its own network keeps it.
        remote.resource(new io.fabric8.kubernetes.api.model.PodBuilder(
                                pod("hw-1", "helloworld", "v3", "node-a", "10.1.0.2"))
                        .editMetadata()
                        .addToLabels("topology.istio.io/network", "net9")
                        .endMetadata()
                        .build())
                .create();
        remote.resource(slice(
                        "helloworld-y",
                        "helloworld",
                        5000,
                        List.of(endpoint("hw-1", "10.1.0.2", "node-a", true, false))))
                .create();
        await().atMost(WAIT).until(() -> "c2/net9/r2/v3".equals(view().get("10.1.0.2")));

        // A bad kubeconfig (another key) is reported; the clusters keep working.
        local.resource(remoteSecret(Map.of("c2", kubeconfig(remote), "c3", "not: [a kubeconfig")))
                .update();
        await().atMost(WAIT).until(() -> remotes.clusters().size() == 3);
        assertThat(remotes.clusters().get(2))
                .containsEntry("id", "c3")
                .containsEntry("syncStatus", "error")
                .containsKey("error");
        assertThat(view()).containsOnlyKeys("10.0.0.1", "10.1.0.1", "10.1.0.2");

        // A kubeconfig that would run a program is refused (istiod's untrusted rest config).
        String exec = kubeconfig(remote).replace("{token: reader-token}", "{exec: {command: /bin/sh}}");
        local.resource(remoteSecret(Map.of("c2", kubeconfig(remote), "c3", exec)))
                .update();
        await().atMost(WAIT)
                .until(() ->
                        String.valueOf(remotes.clusters().get(2).get("error")).contains("exec"));
        local.resource(ClusterObjects.pod("hw-9", "other", "v1", "node-a", "10.0.0.9"))
                .create();
        assertThat(view()).containsOnlyKeys("10.0.0.1", "10.1.0.1", "10.1.0.2");

        // The secret deleted: the remote endpoints leave, the local ones stay.
        local.secrets().inNamespace(SYSTEM).withName("istio-remote-secret-c2").delete();
        await().atMost(WAIT).until(() -> view().equals(Map.of("10.0.0.1", "c1/net1/r1/v1")));
        assertThat(remotes.clusters()).hasSize(1);
    }

    @Test
    void theLocalClusterIdInASecretIsIgnoredAndAnUpdateSwapsTheCluster() {
        await().atMost(WAIT).until(() -> view().size() == 1);
        // "c1" is the local cluster: istiod ignores it rather than overwrite the config cluster.
        local.resource(remoteSecret(Map.of("c1", kubeconfig(remote)))).create();
        local.resource(new SecretBuilder(remoteSecret(Map.of("c2", kubeconfig(remote))))
                        .editMetadata()
                        .withName("second")
                        .endMetadata()
                        .build())
                .create();
        await().atMost(WAIT).until(() -> view().containsKey("10.1.0.1"));
        assertThat(view()).containsEntry("10.1.0.1", "c2/net2/r2/v2").hasSize(2);
        assertThat(remotes.clusters()).extracting(m -> m.get("id")).containsExactly("c1", "c2");

        // A changed kubeconfig (another token) replaces the cluster once the new one has synced.
        local.resource(new SecretBuilder(
                                remoteSecret(Map.of("c2", kubeconfig(remote).replace("reader-token", "t2"))))
                        .editMetadata()
                        .withName("second")
                        .endMetadata()
                        .build())
                .update();
        remote.resource(pod("hw-1", "helloworld", "v3", "node-a", "10.1.0.2")).create();
        remote.resource(slice(
                        "helloworld-y",
                        "helloworld",
                        5000,
                        List.of(endpoint("hw-1", "10.1.0.2", "node-a", true, false))))
                .create();
        await().atMost(WAIT).until(() -> view().containsKey("10.1.0.2"));
        await().atMost(WAIT).until(() -> !remotes.clusters().get(1).containsKey("pending"));
        assertThat(view()).containsEntry("10.1.0.1", "c2/net2/r2/v2").containsEntry("10.1.0.2", "c2/net2/r2/v3");
    }
}
