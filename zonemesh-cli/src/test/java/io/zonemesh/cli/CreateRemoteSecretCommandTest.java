package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.zonemesh.kube.KubeClients;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code zonemesh create-remote-secret}: istioctl's output byte for byte (golden file), read back
 * as a Secret whose kubeconfig reaches the API server it was made for; precise errors.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class CreateRemoteSecretCommandTest {
    private static final String SYSTEM = "zonemesh-system";
    private static final String SA = "istio-reader-service-account";

    KubernetesClient client;

    @TempDir
    Path tmp;

    private Path kubeconfig;

    @BeforeEach
    void cluster() throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(SYSTEM)
                        .endMetadata()
                        .build())
                .create();
        kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, MultiClusterControlPlaneTest.kubeconfig(client), StandardCharsets.UTF_8);
    }

    private void readerAccount() {
        client.resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(SA)
                        .withNamespace(SYSTEM)
                        .endMetadata()
                        .build())
                .create();
    }

    private void tokenSecret(String name, Map<String, String> data) {
        Map<String, String> encoded = new java.util.TreeMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(SYSTEM)
                        .withAnnotations(Map.of("kubernetes.io/service-account.name", SA))
                        .endMetadata()
                        .withType("kubernetes.io/service-account-token")
                        .withData(encoded)
                        .build())
                .create();
    }

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CreateRemoteSecretCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void printsIstioctlsSecretWhoseKubeconfigReachesTheCluster() throws Exception {
        readerAccount();
        // A token Secret of another account is not picked.
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("other-token")
                        .withNamespace(SYSTEM)
                        .withAnnotations(Map.of("kubernetes.io/service-account.name", "default"))
                        .endMetadata()
                        .withType("kubernetes.io/service-account-token")
                        .withData(Map.of("token", "b3RoZXI=", "ca.crt", "b3RoZXI="))
                        .build())
                .create();
        tokenSecret("reader-token", Map.of("token", "reader-token", "ca.crt", "CA-PEM"));
        String server = client.getMasterUrl().toString();

        Run r = run("--kubeconfig", kubeconfig.toString(), "--name", "c1");

        assertThat(r.exit()).as(r.err()).isZero();
        String golden;
        try (InputStream in = getClass().getResourceAsStream("/create-remote-secret/c1.yaml")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(r.out()).isEqualTo(golden.replace("SERVER", server));
        // istioctl's warning: a loopback server is not what the other cluster can reach.
        assertThat(r.err()).startsWith("warn: server in Kubeconfig is " + server + ". This is likely not reachable");

        Secret secret = Serialization.unmarshal(r.out(), Secret.class);
        assertThat(secret.getMetadata().getLabels()).containsEntry("istio/multiCluster", "true");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("networking.istio.io/cluster", "c1");
        String remoteKubeconfig = secret.getStringData().get("c1");
        io.fabric8.kubernetes.api.model.Config parsed =
                Serialization.unmarshal(remoteKubeconfig, io.fabric8.kubernetes.api.model.Config.class);
        assertThat(parsed.getUsers().get(0).getUser().getToken()).isEqualTo("reader-token");
        // What the other cluster's control plane does with it: a client that lists this cluster.
        try (KubernetesClient reader = KubeClients.fromUntrustedKubeconfig(remoteKubeconfig)) {
            assertThat(reader.namespaces().withName(SYSTEM).get()).isNotNull();
        }
    }

    @Test
    void serverOverrideAndNoWarning() {
        readerAccount();
        tokenSecret("reader-token", Map.of("token", "reader-token", "ca.crt", "CA-PEM"));
        Run r = run("--kubeconfig", kubeconfig.toString(), "--name", "c1", "--server", "https://10.0.0.1:6443");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("        server: https://10.0.0.1:6443\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void preciseErrors() {
        Run r = run("--kubeconfig", kubeconfig.toString(), "--context", "nope", "--name", "c1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("error: --context: nope not found in " + kubeconfig + " (expected one of: mock)\n");
        assertThat(r.out()).isEmpty();

        r = run("--kubeconfig", kubeconfig.toString(), "--name", "C_1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: --name: C_1 is not a valid DNS 1123 label");

        r = run("--kubeconfig", kubeconfig.toString(), "--name", "c1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("error: could not get access token to read resources from local kube-apiserver: service "
                        + "account zonemesh-system/istio-reader-service-account not found (expected: the account the "
                        + "other cluster's control plane reads with, see --service-account and --namespace)\n");

        // No token Secret: istioctl creates <sa>-istio-remote-secret-token and waits for the token
        // controller, which a mock API server does not run.
        readerAccount();
        r = run("--kubeconfig", kubeconfig.toString(), "--name", "c1", "--token-wait-seconds", "1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("error: could not get access token to read resources from local kube-apiserver: "
                        + "secret zonemesh-system/istio-reader-service-account-istio-remote-secret-token "
                        + "created for service account istio-reader-service-account has no token after 1 s (expected: filled "
                        + "in by the token controller)\n");
        Secret created = client.secrets()
                .inNamespace(SYSTEM)
                .withName("istio-reader-service-account-istio-remote-secret-token")
                .get();
        assertThat(created.getType()).isEqualTo("kubernetes.io/service-account-token");
        assertThat(created.getMetadata().getAnnotations()).containsEntry("kubernetes.io/service-account.name", SA);
    }
}
