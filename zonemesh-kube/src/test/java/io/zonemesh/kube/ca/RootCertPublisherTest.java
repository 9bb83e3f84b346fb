package io.zonemesh.kube.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * istiod's namespace controller on fabric8's mock API server (CRUD): the roots reach every
 * namespace that exists and every one created later, not the ignored ones, and a root change is
 * written everywhere.
 */
@EnableKubernetesMockClient(crud = true)
class RootCertPublisherTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    KubernetesClient client;

    private void namespace(String name) {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
    }

    private @Nullable String roots(String namespace) {
        ConfigMap cm = client.configMaps()
                .inNamespace(namespace)
                .withName(RootCertPublisher.CONFIG_MAP)
                .get();
        return cm == null || cm.getData() == null ? null : cm.getData().get(RootCertPublisher.KEY);
    }

    @Test
    void everyNamespaceButTheIgnoredOnesGetsTheRootsAndARootChangeReachesThemAll() {
        namespace("shop");
        namespace("kube-system");
        AtomicReference<String> pem = new AtomicReference<>("ROOT-1");
        try (RootCertPublisher publisher = RootCertPublisher.start(client, pem::get)) {
            await().atMost(WAIT).until(() -> "ROOT-1".equals(roots("shop")));
            namespace("sample");
            await().atMost(WAIT).until(() -> "ROOT-1".equals(roots("sample")));
            assertThat(roots("kube-system")).isNull();

            pem.set("ROOT-2");
            publisher.publishAll();
            assertThat(roots("shop")).isEqualTo("ROOT-2");
            assertThat(roots("sample")).isEqualTo("ROOT-2");
            assertThat(client.configMaps()
                            .inNamespace("shop")
                            .withName(RootCertPublisher.CONFIG_MAP)
                            .get()
                            .getMetadata()
                            .getLabels())
                    .containsEntry("istio.io/config", "true");
        }
    }
}
