package io.zonemesh.kube.ca;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.zonemesh.kube.inject.InjectionPolicy;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Istio's namespace controller ({@code security/pkg/k8s/namespace_controller.go}): the ConfigMap
 * {@code istio-ca-root-cert} with the mesh's roots under {@code root-cert.pem} in every namespace
 * except the ones injection ignores, so that injected sidecars can verify the CA's TLS port
 * (mounted at {@code /var/run/secrets/istio/root-cert.pem}). Written when a namespace appears or
 * changes, and in every namespace again when the CA's roots change ({@link #publishAll}). A
 * failed write is logged and retried at the informer's next resync; it never stops the control
 * plane. Unlike istiod it does not watch the ConfigMaps themselves: one edited by hand is
 * restored at the next resync, not at once.
 */
public final class RootCertPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RootCertPublisher.class);
    /** Istio's ConfigMap name and key. */
    public static final String CONFIG_MAP = "istio-ca-root-cert";

    public static final String KEY = "root-cert.pem";
    private static final long RESYNC_MILLIS = 60_000;

    private final KubernetesClient client;
    private final Supplier<String> rootsPem;
    private final SharedIndexInformer<Namespace> informer;

    private RootCertPublisher(KubernetesClient client, Supplier<String> rootsPem) {
        this.client = client;
        this.rootsPem = rootsPem;
        this.informer = client.namespaces()
                .inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(Namespace ns) {
                                publish(ns.getMetadata().getName());
                            }

                            @Override
                            public void onUpdate(Namespace before, Namespace after) {
                                publish(after.getMetadata().getName());
                            }

                            @Override
                            public void onDelete(Namespace ns, boolean finalStateUnknown) {
                                // The ConfigMap goes with its namespace.
                            }
                        },
                        RESYNC_MILLIS);
    }

    /** Starts watching namespaces; every existing one gets the ConfigMap as the first list arrives. */
    public static RootCertPublisher start(KubernetesClient client, Supplier<String> rootsPem) {
        return new RootCertPublisher(
                Objects.requireNonNull(client, "client"), Objects.requireNonNull(rootsPem, "roots"));
    }

    /** Rewrites the ConfigMap in every namespace the informer knows, after the CA's roots changed. */
    public void publishAll() {
        for (Namespace ns : informer.getStore().list()) {
            publish(ns.getMetadata().getName());
        }
    }

    private void publish(String namespace) {
        if (InjectionPolicy.IGNORED_NAMESPACES.contains(namespace)) {
            return;
        }
        String roots = rootsPem.get();
        try {
            ConfigMap current = client.configMaps()
                    .inNamespace(namespace)
                    .withName(CONFIG_MAP)
                    .get();
            if (current != null
                    && roots.equals(
                            current.getData() == null ? null : current.getData().get(KEY))) {
                return;
            }
            ConfigMap wanted = new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName(CONFIG_MAP)
                    .withNamespace(namespace)
                    .withLabels(Map.of("istio.io/config", "true"))
                    .endMetadata()
                    .withData(Map.of(KEY, roots))
                    .build();
            client.resource(wanted).createOr(r -> r.update());
        } catch (KubernetesClientException e) {
            log.warn("could not write ConfigMap {}/{}: {}", namespace, CONFIG_MAP, e.getMessage());
        }
    }

    @Override
    public void close() {
        informer.stop();
    }
}
