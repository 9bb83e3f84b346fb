package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.zonemesh.cli.mtls.TlsProbe;
import io.zonemesh.common.Clock;
import io.zonemesh.security.Pem;
import io.zonemesh.security.ca.CaFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code zonemesh control-plane}'s CA flags against fabric8's mock API server: a plug-in CA folder
 * signs the TLS port's certificate, a broken one stops the start naming its file (as istiod), and
 * without one the self-signed root is kept in {@code zonemesh-ca-secret}.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ControlPlaneCaCommandTest {
    private static final Pattern TLS_PORT = Pattern.compile("CA and xDS over TLS on 127\\.0\\.0\\.1:(\\d+)");

    KubernetesClient client;

    @TempDir
    Path tmp;

    private final SecureRandom random = new SecureRandom();

    private Path cacerts(String name) throws Exception {
        Path root = tmp.resolve(name + "-root");
        Path out = tmp.resolve(name);
        CaFiles.writeRoot(root, Clock.system(), random, 2048);
        CaFiles.writeIntermediate(root, "cluster1", out, Clock.system(), random, 2048);
        return out;
    }

    private String[] args(Path cacertsDir) throws Exception {
        return new String[] {
            "--kubeconfig", kubeconfig().toString(),
            "--xds", "127.0.0.1:0",
            "--xds-tls", "127.0.0.1:0",
            "--debug", "127.0.0.1:0",
            "--cacerts", cacertsDir.toString(),
            "--namespace", "zonemesh-system",
            "--sync-timeout", "PT5S"
        };
    }

    @Test
    void aBrokenPlugInCaStopsTheStartNamingTheFile() throws Exception {
        Path dir = cacerts("cacerts");
        Files.copy(
                cacerts("other").resolve("ca-key.pem"), dir.resolve("ca-key.pem"), StandardCopyOption.REPLACE_EXISTING);
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ControlPlaneCommand());
        cl.setErr(new PrintWriter(err, true));

        int exit = cl.execute(args(dir));

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--cacerts " + dir).contains("ca-key.pem");
    }

    @Test
    void thePlugInCaSignsTheTlsPortsCertificate() throws Exception {
        Path dir = cacerts("cacerts");
        X509Certificate caCert = Pem.certificates(
                        Files.readString(dir.resolve("ca-cert.pem"), StandardCharsets.US_ASCII))
                .get(0);
        String out = runUntilServing(dir, port -> {
            List<X509Certificate> chain = TlsProbe.serverChain(port);
            assertThat(chain.get(0).getIssuerX500Principal()).isEqualTo(caCert.getSubjectX500Principal());
            chain.get(0).verify(caCert.getPublicKey());
        });
        assertThat(out).contains("CA plug-in CA " + dir);
    }

    @Test
    void withoutAPlugInCaTheSelfSignedRootIsKeptInItsSecret() throws Exception {
        String out = runUntilServing(
                tmp.resolve("absent"),
                port -> assertThat(TlsProbe.serverChain(port)).isNotEmpty());

        assertThat(out).contains("self-signed root kept in Secret zonemesh-system/zonemesh-ca-secret");
        assertThat(client.secrets()
                        .inNamespace("zonemesh-system")
                        .withName("zonemesh-ca-secret")
                        .get()
                        .getData())
                .containsKeys("ca-cert.pem", "ca-key.pem", "root-cert.pem");
    }

    /** What a check on the TLS port needs. */
    private interface PortCheck {
        void check(int port) throws Exception;
    }

    private String runUntilServing(Path cacertsDir, PortCheck check) throws Exception {
        ControlPlaneCommand command = new ControlPlaneCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] args = args(cacertsDir);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute(args));
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> TLS_PORT.matcher(out.toString()).find() || exit.isDone());
            Matcher m = TLS_PORT.matcher(out.toString());
            assertThat(m.find()).as("out: %s err: %s", out, err).isTrue();
            check.check(Integer.parseInt(m.group(1)));
            return out.toString();
        } finally {
            command.stop();
            exit.get(30, TimeUnit.SECONDS);
        }
    }

    private Path kubeconfig() throws java.io.IOException {
        Path file = tmp.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "SERVER"}}]
                users: [{name: mock, user: {token: test}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: default}}]
                current-context: mock
                """.replace("SERVER", client.getMasterUrl().toString()), StandardCharsets.UTF_8);
        return file;
    }
}
