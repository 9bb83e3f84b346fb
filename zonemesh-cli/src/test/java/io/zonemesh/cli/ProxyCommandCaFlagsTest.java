package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.Clock;
import io.zonemesh.proxy.identity.CaClientOptions;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.Pem;
import io.zonemesh.security.ca.CertificateAuthority;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code zonemesh proxy}'s CA client flags (Istio's CA_ADDR, SECRET_TTL, ...): values and bad input. */
class ProxyCommandCaFlagsTest {
    @TempDir
    Path dir;

    private record Run(int exit, String err) {}

    private Run run(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--pod", "sleep-1", "--outbound", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--xds", "127.0.0.1:1"));
        args.addAll(List.of(extra));
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ProxyCommand());
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return new Run(cl.execute(args.toArray(String[]::new)), err.toString());
    }

    private Path rootFile() throws Exception {
        CertificateAuthority ca = CertificateAuthority.selfSigned("cluster.local", Clock.system(), new SecureRandom());
        Path root = dir.resolve("root-cert.pem");
        Files.writeString(root, Pem.encode(ca.roots()), StandardCharsets.US_ASCII);
        return root;
    }

    private Path tokenFile() throws Exception {
        Path token = dir.resolve("istio-token");
        Files.writeString(token, "token-1\n");
        return token;
    }

    @Test
    void aMissingRootFileIsAUsageErrorNamingTheFlagAndTheFile() {
        Path missing = dir.resolve("nope/root-cert.pem");

        Run run = run("--ca-address", "127.0.0.1:15012", "--ca-root-cert", missing.toString());

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("--ca-root-cert: " + missing + ": cannot read");
    }

    @Test
    void aRootFileWithoutCertificatesIsRefused() throws Exception {
        Path empty = dir.resolve("root-cert.pem");
        Files.writeString(empty, "not a certificate\n");

        Run run = run("--ca-address", "127.0.0.1:15012", "--ca-root-cert", empty.toString());

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("--ca-root-cert: " + empty);
    }

    @Test
    void aMissingTokenFileIsAUsageError() throws Exception {
        Path token = dir.resolve("no-token");

        Run run = run(
                "--ca-address", "127.0.0.1:15012",
                "--ca-root-cert", rootFile().toString(),
                "--token-file", token.toString());

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("--token-file: " + token + ": not a readable file");
    }

    @Test
    void badKeyAlgorithmTtlAndAddressAreUsageErrors() throws Exception {
        String root = rootFile().toString();
        String token = tokenFile().toString();

        Run algorithm = run("--ca-address", "127.0.0.1:15012", "--ca-root-cert", root, "--token-file", token,
                "--key-algorithm", "DSA");
        Run ttl = run("--ca-address", "127.0.0.1:15012", "--ca-root-cert", root, "--token-file", token,
                "--cert-ttl", "-5h");
        Run address = run("--ca-address", "istiod", "--ca-root-cert", root, "--token-file", token);

        assertThat(algorithm.exit()).isNotZero();
        assertThat(algorithm.err()).contains("--key-algorithm: 'DSA' (expected: ECDSA or RSA)");
        assertThat(ttl.exit()).isNotZero();
        assertThat(ttl.err()).contains("--cert-ttl: '-5h'");
        assertThat(address.exit()).isNotZero();
        assertThat(address.err()).contains("--ca-address: 'istiod'");
    }

    @Test
    void theFlagsBecomeTheProxysCaClientOptions() throws Exception {
        ProxyCommand command = new ProxyCommand();
        CommandLine cl = new CommandLine(command);
        cl.parseArgs(
                "--pod", "sleep-1",
                "--ca-address", "istiod.istio-system.svc:15012",
                "--ca-root-cert", rootFile().toString(),
                "--token-file", tokenFile().toString(),
                "--cluster-id", "east",
                "--key-algorithm", "rsa",
                "--cert-ttl", "90m");
        command.spec = cl.getCommandSpec();

        CaClientOptions options = command.caOptions();

        assertThat(options.host()).isEqualTo("istiod.istio-system.svc");
        assertThat(options.port()).isEqualTo(15012);
        assertThat(options.caServerName()).as("defaults to the CA's host").isEqualTo("istiod.istio-system.svc");
        assertThat(options.caRoots()).hasSize(1);
        assertThat(options.token().get()).isEqualTo("token-1");
        assertThat(options.clusterId()).isEqualTo("east");
        assertThat(options.keyAlgorithm()).isEqualTo(KeyAlgorithm.RSA_2048);
        assertThat(options.ttl()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void defaultsAreIstios() throws Exception {
        ProxyCommand command = new ProxyCommand();
        CommandLine cl = new CommandLine(command);
        cl.parseArgs("--pod", "sleep-1", "--ca-address", "127.0.0.1:15012", "--ca-root-cert", rootFile().toString(),
                "--token-file", tokenFile().toString());
        command.spec = cl.getCommandSpec();

        CaClientOptions options = command.caOptions();

        assertThat(options.clusterId()).isEqualTo("Kubernetes");
        assertThat(options.keyAlgorithm()).isEqualTo(KeyAlgorithm.ECDSA_P256);
        assertThat(options.ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(new CommandLine(new ProxyCommand()).getCommandSpec().findOption("--ca-root-cert").defaultValue())
                .isEqualTo("/var/run/secrets/istio/root-cert.pem");
        assertThat(new CommandLine(new ProxyCommand()).getCommandSpec().findOption("--token-file").defaultValue())
                .isEqualTo("/var/run/secrets/tokens/istio-token");
    }
}
