package io.zonemesh.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.zonemesh.common.Nullable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds the fabric8 client the control plane watches a cluster with. */
public final class KubeClients {
    private KubeClients() {}

    /**
     * A client for {@code kubeconfig} (and {@code context} in it, else its current context), or,
     * without a kubeconfig, fabric8's auto-configuration: in a pod, the service-account token and
     * CA mounted at {@code /var/run/secrets/kubernetes.io/serviceaccount} and the
     * {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} environment; elsewhere {@code ~/.kube/config}.
     */
    public static KubernetesClient create(@Nullable Path kubeconfig, @Nullable String context) throws IOException {
        Config config;
        if (kubeconfig == null) {
            config = Config.autoConfigure(context);
        } else {
            String text;
            try {
                text = Files.readString(kubeconfig, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("--kubeconfig " + kubeconfig + ": cannot be read: " + e.getMessage(), e);
            }
            config = Config.fromKubeconfig(
                    context, text, kubeconfig.toAbsolutePath().toString());
        }
        // Explicit factory: kubernetes-client also brings the Vert.x one, and fabric8 would pick
        // one of two equal-priority factories at random.
        return new KubernetesClientBuilder()
                .withHttpClientFactory(new JdkHttpClientFactory())
                .withConfig(config)
                .build();
    }
}
