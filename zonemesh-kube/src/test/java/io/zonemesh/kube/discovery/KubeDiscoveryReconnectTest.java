package io.zonemesh.kube.discovery;

import static io.zonemesh.kube.discovery.ClusterObjects.endpoint;
import static io.zonemesh.kube.discovery.ClusterObjects.node;
import static io.zonemesh.kube.discovery.ClusterObjects.pod;
import static io.zonemesh.kube.discovery.ClusterObjects.service;
import static io.zonemesh.kube.discovery.ClusterObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.zonemesh.common.Clock;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.MeshRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API server goes away and comes back with other contents: the last state is served meanwhile, then resynced. */
class KubeDiscoveryReconnectTest {
    private static final String HOST = "helloworld.sample.svc.cluster.local";

    /** A CRUD mock server over {@code store}: two servers over one store are one API server restarted. */
    private static KubernetesMockServer crudServer(KubernetesCrudDispatcher store) {
        return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), store, false);
    }

    private static void populate(KubernetesClient client, List<Endpoint> endpoints, boolean withPodB) {
        client.resource(ClusterObjects.namespace()).create();
        client.resource(node("node-a", "sg", "az01")).create();
        client.resource(node("node-b", "sg", "az02")).create();
        client.resource(service("helloworld", 5000)).create();
        client.resource(pod("hw-a", "helloworld", "v1", "node-a", "10.0.0.1")).create();
        if (withPodB) {
            client.resource(pod("hw-b", "helloworld", "v2", "node-b", "10.0.0.2"))
                    .create();
        }
        client.resource(slice("helloworld-x1", "helloworld", 5000, endpoints)).create();
    }

    @Test
    void lostConnectionKeepsTheLastStateAndResyncsOnReconnect() throws Exception {
        ClusterObjects.mockLog();
        KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
        KubernetesMockServer first = crudServer(store);
        first.init();
        int port = first.getPort();
        KubernetesMockServer second = null;
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, MeshConfigBundle.EMPTY);
        try (KubernetesClient client = first.createClient();
                KubeDiscovery discovery = new KubeDiscovery(client, registry, Clock.system())) {
            ClusterObjects.registerIstioKinds(first);
            populate(
                    client,
                    List.of(
                            endpoint("hw-a", "10.0.0.1", "node-a", true, false),
                            endpoint("hw-b", "10.0.0.2", "node-b", true, false)),
                    true);
            discovery.start(Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> registry.state().endpoints(HOST, 5000).size() == 2);

            first.shutdown();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Boolean.FALSE.equals(discovery.status().get("watching")));
            assertThat(registry.state().endpoints(HOST, 5000)).hasSize(2);
            assertThat(registry.pod("sample", "hw-b")).isNotNull();

            // The server comes back on the same address with the same store: the informers watch
            // again from their last resourceVersion and follow the changes made from then on.
            second = crudServer(store);
            second.init(InetAddress.getByName(first.getHostName()), port);
            ClusterObjects.registerIstioKinds(second);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Boolean.TRUE.equals(discovery.status().get("watching")));
            client.pods().inNamespace("sample").withName("hw-b").delete();
            client.resource(slice(
                            "helloworld-x1",
                            "helloworld",
                            5000,
                            List.of(endpoint("hw-a", "10.0.0.1", "node-a", true, false))))
                    .update();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> registry.state().endpoints(HOST, 5000).size() == 1
                            && registry.pod("sample", "hw-b") == null);
            assertThat(registry.state().endpoints(HOST, 5000).get(0).address()).isEqualTo("10.0.0.1");
        } finally {
            if (second != null) {
                second.destroy();
            }
            first.destroy();
        }
    }
}
