package io.zonemesh.security.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.common.FakeClock;
import io.zonemesh.security.Chains;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.PeerVerifier;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Istio's tools/certs flow: one root, an intermediate per cluster, workloads of both trust each other. */
class CaFilesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    // 2048-bit keys keep the test fast; the files' layout and extensions do not depend on the size.
    private static final int BITS = 2048;

    @TempDir
    Path tmp;

    private final FakeClock clock = new FakeClock();

    private static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.US_ASCII);
    }

    @Test
    void twoClustersWithIntermediatesOfOneRootTrustEachOthersWorkloads() throws Exception {
        Path rootDir = tmp.resolve("root");
        CaFiles.writeRoot(rootDir, clock, RANDOM, BITS);
        CaFiles.writeIntermediate(rootDir, "cluster1", tmp.resolve("cluster1"), clock, RANDOM, BITS);
        CaFiles.writeIntermediate(rootDir, "cluster2", tmp.resolve("cluster2"), clock, RANDOM, BITS);

        CertificateAuthority ca1 = CertificateAuthority.fromDirectory(tmp.resolve("cluster1"), clock, RANDOM);
        CertificateAuthority ca2 = CertificateAuthority.fromDirectory(tmp.resolve("cluster2"), clock, RANDOM);
        List<String> response = ca1.sign(
                Csrs.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM), SpiffeId.of("shop", "cart")),
                SpiffeId.of("shop", "cart"),
                Duration.ofHours(1));

        assertThat(response).hasSize(3); // leaf, cluster1's intermediate, root
        List<X509Certificate> chain = List.of(
                Pem.certificates(response.get(0)).get(0),
                Pem.certificates(response.get(1)).get(0));
        X509Certificate sharedRoot =
                Pem.certificates(read(rootDir.resolve("root-cert.pem"))).get(0);
        assertThat(Pem.certificates(response.get(2))).containsExactly(sharedRoot);
        assertThat(chain.get(1)).isEqualTo(ca1.signingCertificate());

        Instant now = Instant.ofEpochMilli(clock.currentTimeMillis());
        Chains.verify(chain, List.of(sharedRoot), now);
        // cluster2's control plane hands its workloads its own root-cert.pem: the same root.
        assertThat(ca2.roots()).containsExactly(sharedRoot);
        new PeerVerifier(ca2.roots(), Set.of("spiffe://cluster.local/ns/shop/sa/cart"), clock).verify(chain, true);
        assertThat(ca2.signingCertificate()).isNotEqualTo(ca1.signingCertificate());
    }

    @Test
    void filesHaveTheMakefilesSubjectsExtensionsAndLifetimes() throws Exception {
        Path rootDir = tmp.resolve("root");
        CaFiles.writeRoot(rootDir, clock, RANDOM, BITS);
        CaFiles.writeIntermediate(rootDir, "cluster1", tmp.resolve("c1"), clock, RANDOM, BITS);

        X509Certificate root =
                Pem.certificates(read(rootDir.resolve("root-cert.pem"))).get(0);
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Root CA,O=Istio");
        assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(root.getKeyUsage()).startsWith(true, true, true, false, false, true);
        assertThat(root.getCriticalExtensionOIDs())
                .contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(root.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                .isNotNull();
        assertThat(Duration.between(
                        root.getNotBefore().toInstant(), root.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(3650));
        assertThat(Files.getPosixFilePermissions(rootDir.resolve("root-key.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Path c1 = tmp.resolve("c1");
        X509Certificate intermediate =
                Pem.certificates(read(c1.resolve("ca-cert.pem"))).get(0);
        assertThat(intermediate.getSubjectX500Principal().getName()).isEqualTo("L=cluster1,CN=Intermediate CA,O=Istio");
        assertThat(intermediate.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        assertThat(intermediate.getBasicConstraints()).as("pathlen:0").isZero();
        assertThat(intermediate.getKeyUsage()).startsWith(true, true, true, false, false, true);
        assertThat(intermediate.getSubjectAlternativeNames()).containsExactly(List.of(2, "istiod.istio-system.svc"));
        assertThat(Duration.between(
                        intermediate.getNotBefore().toInstant(),
                        intermediate.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(730));
        intermediate.verify(root.getPublicKey());
        assertThat(Pem.certificates(read(c1.resolve("cert-chain.pem")))).containsExactly(intermediate, root);
        assertThat(Pem.certificates(read(c1.resolve("root-cert.pem")))).containsExactly(root);
        assertThat(Pem.privateKey(read(c1.resolve("ca-key.pem")))).isNotNull();
    }

    @Test
    void neverOverwritesAKeyAndNamesMissingRootFiles() throws Exception {
        Path rootDir = tmp.resolve("root");
        CaFiles.writeRoot(rootDir, clock, RANDOM, BITS);
        String key = read(rootDir.resolve("root-key.pem"));
        assertThatThrownBy(() -> CaFiles.writeRoot(rootDir, clock, RANDOM, BITS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("root-cert.pem: exists");
        assertThat(read(rootDir.resolve("root-key.pem"))).isEqualTo(key);

        assertThatThrownBy(() ->
                        CaFiles.writeIntermediate(tmp.resolve("nowhere"), "c1", tmp.resolve("c1"), clock, RANDOM, BITS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nowhere/root-cert.pem: missing");
        Files.delete(rootDir.resolve("root-key.pem"));
        assertThatThrownBy(() -> CaFiles.writeIntermediate(rootDir, "c1", tmp.resolve("c1"), clock, RANDOM, BITS))
                .hasMessageContaining("root-key.pem: missing");
        assertThat(tmp.resolve("c1")).doesNotExist();
        assertThatThrownBy(() -> CaFiles.writeIntermediate(rootDir, "", tmp.resolve("c1"), clock, RANDOM, BITS))
                .hasMessageContaining("cluster: ''");
    }
}
