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
        return build(config);
    }

    /**
     * A client for a kubeconfig held in memory (a remote secret's value), its current context.
     * As istiod's {@code kube.NewUntrustedRestConfig}, a kubeconfig from a Secret may not run
     * programs ({@code exec}, {@code auth-provider}) or read files of the control plane's
     * container ({@code tokenFile}, certificate and key paths): rejected with the field named.
     */
    public static KubernetesClient fromUntrustedKubeconfig(String text) {
        io.fabric8.kubernetes.api.model.Config parsed;
        try {
            parsed = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                    text, io.fabric8.kubernetes.api.model.Config.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("kubeconfig: not a kubeconfig (" + e.getMessage() + ")", e);
        }
        if (parsed == null
                || parsed.getClusters() == null
                || parsed.getClusters().isEmpty()) {
            throw new IllegalArgumentException("kubeconfig: no clusters (expected: a kubeconfig with a cluster)");
        }
        for (io.fabric8.kubernetes.api.model.NamedAuthInfo u : parsed.getUsers() == null
                ? java.util.List.<io.fabric8.kubernetes.api.model.NamedAuthInfo>of()
                : parsed.getUsers()) {
            io.fabric8.kubernetes.api.model.AuthInfo a = u.getUser();
            if (a == null) {
                continue;
            }
            String bad = a.getExec() != null
                    ? "exec"
                    : a.getAuthProvider() != null
                            ? "auth-provider"
                            : a.getTokenFile() != null
                                    ? "tokenFile"
                                    : a.getClientCertificate() != null
                                            ? "client-certificate"
                                            : a.getClientKey() != null ? "client-key" : null;
            if (bad != null) {
                throw new IllegalArgumentException("kubeconfig: users[" + u.getName() + "].user." + bad
                        + " is not allowed in a remote secret (expected: token or inline *-data)");
            }
        }
        for (io.fabric8.kubernetes.api.model.NamedCluster c : parsed.getClusters()) {
            if (c.getCluster() != null && c.getCluster().getCertificateAuthority() != null) {
                throw new IllegalArgumentException("kubeconfig: clusters[" + c.getName()
                        + "].cluster.certificate-authority is not allowed in a remote secret "
                        + "(expected: certificate-authority-data)");
            }
        }
        Config config;
        try {
            config = Config.fromKubeconfig(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("kubeconfig: " + e.getMessage(), e);
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isEmpty()) {
            throw new IllegalArgumentException("kubeconfig: no server for its current context");
        }
        return build(config);
    }

    private static KubernetesClient build(Config config) {
        // Explicit factory: kubernetes-client also brings the Vert.x one, and fabric8 would pick
        // one of two equal-priority factories at random.
        return new KubernetesClientBuilder()
                .withHttpClientFactory(new JdkHttpClientFactory())
                .withConfig(config)
                .build();
    }
}
