package io.zonemesh.security.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.WorkloadCertificate;
import io.zonemesh.security.ca.CertificateAuthority;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rotation on a FakeClock (which is also the Scheduler); the signer is a real CA on the same clock. */
class CertificateRotatorTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SpiffeId CART = SpiffeId.of("shop", "cart");
    private static final Duration TTL = Duration.ofHours(1);
    private static CertificateAuthority otherCa;

    private final FakeClock clock = new FakeClock();
    private final CertificateAuthority ca = CertificateAuthority.selfSigned("cluster.local", clock, RANDOM);
    private final FakeSigner signer = new FakeSigner();
    private final List<WorkloadCertificate> published = new ArrayList<>();
    private CertificateRotator rotator;

    @BeforeAll
    static void otherCa() {
        otherCa = CertificateAuthority.selfSigned("cluster.local", new FakeClock(), RANDOM);
    }

    /** Signs with {@link #ca} unless told to fail or to misbehave. */
    private final class FakeSigner implements CertificateSigner {
        int calls;
        boolean down;
        String mode = "ok";
        final List<String> csrs = new ArrayList<>();

        @Override
        public CompletableFuture<List<String>> sign(String csrPem, Duration ttl) {
            calls++;
            csrs.add(csrPem);
            if (down) {
                return CompletableFuture.failedFuture(new IllegalStateException("UNAVAILABLE: CA is down"));
            }
            switch (mode) {
                case "otherKey":
                    return CompletableFuture.completedFuture(
                            ca.sign(Csrs.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM), CART), CART, ttl));
                case "otherRoot": {
                    List<String> chain = new ArrayList<>(ca.sign(csrPem, CART, ttl));
                    chain.set(chain.size() - 1, io.zonemesh.security.Pem.encode(otherCa.roots()));
                    return CompletableFuture.completedFuture(chain);
                }
                default:
                    return CompletableFuture.completedFuture(ca.sign(csrPem, CART, ttl));
            }
        }
    }

    private void startRotator() {
        rotator = new CertificateRotator(
                signer, KeyAlgorithm.ECDSA_P256, TTL, null, clock, clock, RandomSource.seeded(7), RANDOM);
        rotator.addListener(published::add);
        rotator.start();
    }

    @AfterEach
    void close() {
        if (rotator != null) {
            rotator.close();
        }
        assertThat(clock.pendingTasks()).isEmpty();
    }

    private static PublicKey key(WorkloadCertificate c) {
        return c.leaf().getPublicKey();
    }

    @Test
    void firstCertificateIsPublishedWithTheKeyItWasMadeFor() {
        startRotator();
        WorkloadCertificate first = rotator.current();
        assertThat(first).isNotNull();
        assertThat(published).containsExactly(first);
        assertThat(first.spiffeId()).isEqualTo("spiffe://cluster.local/ns/shop/sa/cart");
        assertThat(first.roots()).isEqualTo(ca.roots());
        assertThat(first.chain()).hasSize(1);
        assertThat(Csrs.publicKey(Csrs.parse(signer.csrs.get(0)))).isEqualTo(key(first));
        List<WorkloadCertificate> late = new ArrayList<>();
        rotator.addListener(late::add);
        assertThat(late).containsExactly(first);
    }

    @Test
    void rotatesAtHalfTheLifetimeWithinOnePercentJitterWithANewKey() {
        startRotator();
        WorkloadCertificate first = rotator.current();
        Duration lifetime = Duration.between(first.notBefore(), first.notAfter()); // 1h + 2 min backdating
        Instant earliest = first.notBefore().plus(lifetime.multipliedBy(49).dividedBy(100));
        Instant latest = first.notBefore().plus(lifetime.multipliedBy(51).dividedBy(100));

        clock.advance(Duration.between(now(), earliest).minusSeconds(1));
        assertThat(signer.calls).isEqualTo(1);
        clock.advance(Duration.between(now(), latest).plusSeconds(1));
        assertThat(signer.calls).isEqualTo(2);
        WorkloadCertificate second = rotator.current();
        assertThat(second).isNotSameAs(first);
        assertThat(key(second)).isNotEqualTo(key(first));
        assertThat(published).containsExactly(first, second);
        assertThat(second.notAfter()).isAfter(first.notAfter());
    }

    @Test
    void caDownKeepsTheCurrentCertificateAndRetriesWithBackoff() {
        startRotator();
        WorkloadCertificate first = rotator.current();
        signer.down = true;
        advanceUntilCalls(2); // the rotation point: one failed attempt
        assertThat(rotator.current()).isSameAs(first);

        clock.advance(Duration.ofSeconds(1)); // first retry within the 1 s backoff base
        assertThat(signer.calls).isEqualTo(3);
        clock.advance(Duration.ofMinutes(2)); // backoff grows, capped at 30 s: at least 4 more, at most 2 min / 1 ms
        assertThat(signer.calls).isBetween(7, 130);
        assertThat(rotator.current()).isSameAs(first);
        assertThat(published).containsExactly(first);

        signer.down = false;
        clock.advance(Duration.ofSeconds(30));
        WorkloadCertificate second = rotator.current();
        assertThat(second).isNotSameAs(first);
        assertThat(published).containsExactly(first, second);
        int calls = signer.calls;
        clock.advance(Duration.ofMinutes(20)); // backoff was reset: next signing is the regular rotation
        assertThat(signer.calls).isEqualTo(calls);
    }

    @Test
    void aLeafForAnotherKeyIsRejected() {
        signer.mode = "otherKey";
        startRotator();
        assertThat(rotator.current()).isNull();
        assertThat(published).isEmpty();
        signer.mode = "ok";
        clock.advance(Duration.ofSeconds(1));
        assertThat(rotator.current()).isNotNull();
    }

    @Test
    void aChainThatDoesNotReachTheReturnedRootIsRejected() {
        startRotator();
        WorkloadCertificate first = rotator.current();
        signer.mode = "otherRoot";
        advanceUntilCalls(2);
        assertThat(rotator.current()).isSameAs(first);
    }

    @Test
    void closeCancelsTheNextRotation() {
        startRotator();
        rotator.start(); // a second start neither signs again nor arms a second timer
        assertThat(signer.calls).isEqualTo(1);
        assertThat(clock.pendingTasks()).hasSize(1);
        rotator.close();
        assertThat(clock.pendingTasks()).isEmpty();
        clock.advance(Duration.ofHours(2));
        assertThat(signer.calls).isEqualTo(1);
    }

    /** Moves the clock in 100 ms steps (bounded: at most one lifetime) until the signer was called {@code n} times. */
    private void advanceUntilCalls(int n) {
        for (int i = 0; i < 36_000 && signer.calls < n; i++) {
            clock.advance(Duration.ofMillis(100));
        }
        assertThat(signer.calls).isEqualTo(n);
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.currentTimeMillis());
    }
}
