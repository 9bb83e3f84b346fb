package io.zonemesh.security.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.common.FakeClock;
import io.zonemesh.security.Chains;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.WorkloadCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plug-in CA files (Istio's cacerts): both layouts, and each way they can be wrong. */
class PluginCaTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final FakeClock CLOCK = new FakeClock();

    @TempDir
    static Path tmp;

    private static Map<String, byte[]> cluster1;
    private static Map<String, byte[]> cluster2;
    private static Map<String, byte[]> otherRoot;

    @BeforeAll
    static void writeCaFiles() throws Exception {
        CaFiles.writeRoot(tmp.resolve("root"), CLOCK, RANDOM, 2048);
        CaFiles.writeIntermediate(tmp.resolve("root"), "cluster1", tmp.resolve("cluster1"), CLOCK, RANDOM, 2048);
        CaFiles.writeIntermediate(tmp.resolve("root"), "cluster2", tmp.resolve("cluster2"), CLOCK, RANDOM, 2048);
        CaFiles.writeRoot(tmp.resolve("other"), CLOCK, RANDOM, 2048);
        cluster1 = read(tmp.resolve("cluster1"));
        cluster2 = read(tmp.resolve("cluster2"));
        otherRoot = read(tmp.resolve("other"));
    }

    private static Map<String, byte[]> read(Path dir) throws Exception {
        Map<String, byte[]> files = new HashMap<>();
        try (var list = Files.list(dir)) {
            for (Path p : list.toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static X509Certificate cert(Map<String, byte[]> files, String name) {
        return Pem.certificates(new String(files.get(name), StandardCharsets.US_ASCII))
                .get(0);
    }

    @Test
    void istioLayoutSignsLeavesThatChainThroughTheIntermediate() throws Exception {
        CertificateAuthority ca = CertificateAuthority.fromDirectory(tmp.resolve("cluster1"), CLOCK, RANDOM);
        assertThat(ca.signingCertificate()).isEqualTo(cert(cluster1, "ca-cert.pem"));
        assertThat(ca.roots()).containsExactly(cert(cluster1, "root-cert.pem"));
        // cert-chain.pem is intermediate + root; the root is sent once, last.
        assertThat(ca.certChain()).containsExactly(ca.signingCertificate());
        List<String> response = ca.sign(
                Csrs.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM), SpiffeId.of("a", "b")),
                SpiffeId.of("a", "b"),
                Duration.ZERO);
        assertThat(response).hasSize(3);
        Chains.verify(
                List.of(
                        Pem.certificates(response.get(0)).get(0),
                        Pem.certificates(response.get(1)).get(0)),
                Pem.certificates(response.get(2)),
                Instant.ofEpochMilli(CLOCK.currentTimeMillis()));
    }

    @Test
    void kubernetesTlsLayoutIsReadWhenTlsCrtExists() {
        Map<String, byte[]> tls = Map.of(
                "tls.crt", cluster1.get("ca-cert.pem"),
                "tls.key", cluster1.get("ca-key.pem"),
                "ca.crt", cluster1.get("root-cert.pem"));
        CertificateAuthority ca = CertificateAuthority.fromFiles(tls, "secret istio-system/cacerts", CLOCK, RANDOM);
        assertThat(ca.signingCertificate()).isEqualTo(cert(cluster1, "ca-cert.pem"));
        assertThat(ca.certChain()).containsExactly(ca.signingCertificate());
        assertThat(ca.roots()).containsExactly(cert(cluster1, "root-cert.pem"));
        WorkloadCertificate serving = ca.issueServing(
                KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM),
                List.of("localhost"),
                List.of(),
                Duration.ofHours(1));
        assertThat(serving.chain()).hasSize(2);
    }

    @Test
    void aMissingFileIsNamed() {
        Map<String, byte[]> files = new HashMap<>(cluster1);
        files.remove("ca-key.pem");
        assertThatThrownBy(() -> CertificateAuthority.fromFiles(files, "cacerts", CLOCK, RANDOM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "cacerts/ca-key.pem: missing (expected: ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem");
        assertThatThrownBy(() -> CertificateAuthority.fromDirectory(tmp.resolve("absent"), CLOCK, RANDOM))
                .hasMessageContaining("absent: not a directory");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsRefused() {
        Map<String, byte[]> files = new HashMap<>(cluster1);
        files.put("ca-key.pem", cluster2.get("ca-key.pem"));
        assertThatThrownBy(() -> CertificateAuthority.fromFiles(files, "cacerts", CLOCK, RANDOM))
                .hasMessageStartingWith(
                        "cacerts/ca-key.pem: private key does not match the certificate in ca-cert.pem");
    }

    @Test
    void aCertificateThatIsNotACaIsRefused() {
        CertificateAuthority ca = CertificateAuthority.fromFiles(cluster1, "cacerts", CLOCK, RANDOM);
        WorkloadCertificate leaf = ca.issueServing(
                KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM),
                List.of("localhost"),
                List.of(),
                Duration.ofHours(1));
        Map<String, byte[]> files = new HashMap<>(cluster1);
        files.put("ca-cert.pem", Pem.encode(leaf.leaf()).getBytes(StandardCharsets.US_ASCII));
        files.put("ca-key.pem", Pem.encode(leaf.key()).getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> CertificateAuthority.fromFiles(files, "cacerts", CLOCK, RANDOM))
                .hasMessageContaining("cacerts/ca-cert.pem: ")
                .hasMessageContaining("is not a CA (expected: basicConstraints CA:true)");
    }

    @Test
    void aChainThatDoesNotReachTheRootIsRefused() {
        Map<String, byte[]> files = new HashMap<>(cluster1);
        files.put("root-cert.pem", otherRoot.get("root-cert.pem"));
        files.put("cert-chain.pem", cluster1.get("ca-cert.pem"));
        assertThatThrownBy(() -> CertificateAuthority.fromFiles(files, "cacerts", CLOCK, RANDOM))
                .hasMessageStartingWith(
                        "cacerts/cert-chain.pem: ca-cert.pem (L=cluster1,CN=Intermediate CA,O=Istio) does not chain to root-cert.pem (CN=Root CA,O=Istio)");
    }

    @Test
    void anExpiredIntermediateDoesNotChainAtTheCurrentTime() {
        FakeClock later = new FakeClock();
        later.advance(Duration.ofDays(731));
        assertThatThrownBy(() -> CertificateAuthority.fromFiles(cluster1, "cacerts", later, RANDOM))
                .hasMessageContaining("does not chain to root-cert.pem")
                .hasMessageContaining("at the current time");
    }

    @Test
    void aSelfSignedCaCertWithEmptyChainIsItsOwnRoot() {
        Map<String, byte[]> files = Map.of(
                "ca-cert.pem", otherRoot.get("root-cert.pem"),
                "ca-key.pem", otherRoot.get("root-key.pem"),
                "root-cert.pem", otherRoot.get("root-cert.pem"),
                "cert-chain.pem", new byte[0]);
        CertificateAuthority ca = CertificateAuthority.fromFiles(files, "cacerts", CLOCK, RANDOM);
        assertThat(ca.certChain()).isEmpty();
        assertThat(ca.roots()).containsExactly(ca.signingCertificate());
    }
}
