package io.zonemesh.security.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.common.FakeClock;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.WorkloadCertificate;
import io.zonemesh.security.ca.CaFiles;
import io.zonemesh.security.ca.CertificateAuthority;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseCheckerTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tmp;

    @Test
    void acceptsIstiodsShapeWithTheChainInOneElementEndingInTheRoot() {
        FakeClock clock = new FakeClock();
        CaFiles.writeRoot(tmp.resolve("root"), clock, RANDOM, 2048);
        CaFiles.writeIntermediate(tmp.resolve("root"), "c1", tmp.resolve("c1"), clock, RANDOM, 2048);
        CertificateAuthority ca = CertificateAuthority.fromDirectory(tmp.resolve("c1"), clock, RANDOM);
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        List<String> ours = ca.sign(Csrs.create(keys, SpiffeId.of("a", "b")), SpiffeId.of("a", "b"), Duration.ZERO);
        // istiod: leaf, cert-chain.pem as one string (intermediate + root), root-cert.pem.
        List<String> istiod = List.of(
                ours.get(0), Pem.encode(ca.signingCertificate(), ca.roots().get(0)), ours.get(2));

        WorkloadCertificate cert = ResponseChecker.check(keys, istiod, Instant.ofEpochMilli(clock.currentTimeMillis()));

        assertThat(cert.chain()).hasSize(2);
        assertThat(cert.chain().get(1)).isEqualTo(ca.signingCertificate());
        assertThat(cert.roots()).isEqualTo(ca.roots());
        assertThat(cert.spiffeId()).isEqualTo("spiffe://cluster.local/ns/a/sa/b");
    }

    @Test
    void refusesAResponseWithoutARoot() {
        FakeClock clock = new FakeClock();
        CertificateAuthority ca = CertificateAuthority.selfSigned("cluster.local", clock, RANDOM);
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        List<String> ours = ca.sign(Csrs.create(keys, SpiffeId.of("a", "b")), SpiffeId.of("a", "b"), Duration.ZERO);
        assertThatThrownBy(() -> ResponseChecker.check(
                        keys, ours.subList(0, 1), Instant.ofEpochMilli(clock.currentTimeMillis())))
                .hasMessageContaining("1 element(s) (expected: the leaf first and the root bundle last)");
    }
}
