package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.Clock;
import io.zonemesh.security.Chains;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.CertificateAuthority;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `zonemesh ca` as a user runs it, in-process. */
class CaCommandTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void rootAndTwoIntermediatesMakeClustersThatTrustEachOther() throws Exception {
        Path root = tmp.resolve("root");
        assertThat(run("ca", "root", "--out", root.toString(), "--key-size", "2048")
                        .exit())
                .isZero();
        Run c1 = run(
                "ca",
                "intermediate",
                "--root",
                root.toString(),
                "--cluster",
                "cluster1",
                "--out",
                tmp.resolve("cluster1").toString(),
                "--key-size",
                "2048");
        Run c2 = run(
                "ca",
                "intermediate",
                "--root",
                root.toString(),
                "--cluster",
                "cluster2",
                "--out",
                tmp.resolve("cluster2").toString(),
                "--key-size",
                "2048");
        assertThat(c1.exit()).as(c1.err()).isZero();
        assertThat(c2.exit()).as(c2.err()).isZero();
        Path d1 = tmp.resolve("cluster1");
        assertThat(c1.out())
                .contains("kubectl create secret generic cacerts -n zonemesh-system"
                        + " --from-file=" + d1.resolve("ca-cert.pem")
                        + " --from-file=" + d1.resolve("ca-key.pem")
                        + " --from-file=" + d1.resolve("root-cert.pem")
                        + " --from-file=" + d1.resolve("cert-chain.pem"));

        // The command stamps the files with the system clock; load them at the same time.
        Clock clock = Clock.system();
        SecureRandom random = new SecureRandom();
        CertificateAuthority ca1 = CertificateAuthority.fromDirectory(d1, clock, random);
        CertificateAuthority ca2 = CertificateAuthority.fromDirectory(tmp.resolve("cluster2"), clock, random);
        List<String> response = ca1.sign(
                Csrs.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256, random), SpiffeId.of("shop", "cart")),
                SpiffeId.of("shop", "cart"),
                Duration.ofHours(1));
        List<X509Certificate> chain = List.of(
                Pem.certificates(response.get(0)).get(0),
                Pem.certificates(response.get(1)).get(0));
        X509Certificate sharedRoot = Pem.certificates(
                        Files.readString(root.resolve("root-cert.pem"), StandardCharsets.US_ASCII))
                .get(0);
        Instant now = Instant.ofEpochMilli(clock.currentTimeMillis());
        Chains.verify(chain, List.of(sharedRoot), now);
        Chains.verify(chain, ca2.roots(), now); // cluster2's trust bundle accepts cluster1's workload
    }

    @Test
    void missingRootIsAnErrorWithNonZeroExit() {
        Run r = run(
                "ca",
                "intermediate",
                "--root",
                tmp.resolve("none").toString(),
                "--cluster",
                "c1",
                "--out",
                tmp.resolve("c1").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("zonemesh ca: ").contains("none/root-cert.pem: missing");
        assertThat(tmp.resolve("c1")).doesNotExist();

        Run usage = run(
                "ca",
                "intermediate",
                "--cluster",
                "c1",
                "--out",
                tmp.resolve("c1").toString());
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required option: '--root=<root>'");
    }
}
