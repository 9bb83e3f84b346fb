package io.zonemesh.controlplane.ca;

import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.Scheduler;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.WorkloadCertificate;
import io.zonemesh.security.ca.CertificateAuthority;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate the control plane's TLS port (istiod's 15012) presents, issued by its own CA:
 * re-issued at half of its remaining lifetime (as workloads rotate theirs) and at once when the CA is
 * replaced, since a client that trusts the new root would refuse a leaf of the old one. The TLS
 * server reads it per handshake through {@link #keyManager()}, so a new certificate needs no
 * restart and open connections keep theirs.
 */
public final class ServingCertificate implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServingCertificate.class);
    /** The names istiod's certificate carries and the one the Service manifest creates (CONTRACT §4). */
    public static final List<String> DNS_NAMES = List.of(
            "zonemesh-control-plane.zonemesh-system.svc",
            "istiod.istio-system.svc",
            "istiod.istio-system.svc.cluster.local",
            "localhost");

    public static final List<String> IP_ADDRESSES = List.of("127.0.0.1");
    /** Istio's DEFAULT_WORKLOAD_CERT_TTL, which istiod's own DNS certificate also gets. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private final CaHolder ca;
    private final Clock clock;
    private final Scheduler scheduler;
    private final SecureRandom random;
    private final Duration ttl;
    private final SwappableKeyManager keyManager = new SwappableKeyManager();
    private final Consumer<CertificateAuthority> onReload = next -> issue();
    private final Object lock = new Object();
    /** Guarded by lock. */
    private Scheduler.@Nullable Cancellable renewal;
    /** Guarded by lock. */
    private boolean closed;

    /** Issues the first certificate now; later ones follow on {@code scheduler}. */
    public ServingCertificate(CaHolder ca, Clock clock, Scheduler scheduler, SecureRandom random, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
        this.ca = Objects.requireNonNull(ca, "ca");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.ttl = ttl;
        issue();
        ca.addListener(onReload);
    }

    /** The key manager a TLS server built once uses for every handshake. */
    public SwappableKeyManager keyManager() {
        return keyManager;
    }

    /** The certificate presented now. */
    public WorkloadCertificate current() {
        return Objects.requireNonNull(keyManager.current(), "issued in the constructor");
    }

    /** Issues a new certificate from the current CA and schedules the next renewal. */
    void issue() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (renewal != null) {
                renewal.cancel();
            }
            try {
                WorkloadCertificate cert = ca.get()
                        .issueServing(KeyPairs.generate(KeyAlgorithm.ECDSA_P256, random), DNS_NAMES, IP_ADDRESSES, ttl);
                keyManager.swap(cert);
                renewal = scheduler.schedule(this::issue, renewIn(cert));
            } catch (RuntimeException e) {
                // The certificate in use stays until it expires; try again soon rather than at half-life.
                log.error("could not issue the control plane's serving certificate; retrying in a minute", e);
                renewal = scheduler.schedule(this::issue, Duration.ofMinutes(1));
            }
        }
    }

    /**
     * Half of the lifetime, counted from now, when the certificate was received, as istio-agent's
     * {@code rotateTime} does: notBefore is backdated by the CA's clock-skew grace, which would
     * move the renewal of a short-lived certificate to the moment it was issued.
     */
    private Duration renewIn(WorkloadCertificate cert) {
        Instant now = Instant.ofEpochMilli(clock.currentTimeMillis());
        Duration remaining = Duration.between(now, cert.notAfter());
        return remaining.isNegative() ? Duration.ZERO : remaining.dividedBy(2);
    }

    @Override
    public void close() {
        ca.removeListener(onReload);
        synchronized (lock) {
            closed = true;
            if (renewal != null) {
                renewal.cancel();
            }
        }
    }
}
