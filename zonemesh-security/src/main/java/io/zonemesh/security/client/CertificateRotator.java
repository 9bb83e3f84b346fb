package io.zonemesh.security.client;

import io.zonemesh.common.Backoff;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.WorkloadCertificate;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload's key and certificate, kept fresh as istio-agent's secret cache does
 * ({@code security/pkg/nodeagent/cache/secretcache.go}): every rotation makes a NEW key pair and CSR,
 * has it signed, checks the answer ({@link ResponseChecker}) and publishes it; the next rotation is at
 * {@code notBefore + (0.5 ± 0.01) × lifetime} ({@code SECRET_GRACE_PERIOD_RATIO} with its jitter). A
 * failed signing keeps the current certificate and retries with jittered exponential backoff, so a CA
 * outage shorter than the remaining lifetime changes nothing. The private key never leaves this object
 * except to the listeners. Thread-safe; listeners run on the thread that completed the signing.
 */
public final class CertificateRotator implements AutoCloseable {
    /** {@code SECRET_GRACE_PERIOD_RATIO}. */
    static final double GRACE_PERIOD_RATIO = 0.5;
    /** {@code SECRET_GRACE_PERIOD_RATIO_JITTER}. */
    static final double GRACE_PERIOD_RATIO_JITTER = 0.01;

    static final Duration RETRY_BASE = Duration.ofSeconds(1);
    static final Duration RETRY_MAX = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(CertificateRotator.class);

    private final CertificateSigner signer;
    private final KeyAlgorithm keyAlgorithm;
    private final Duration ttl;
    private final @Nullable SpiffeId requested;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RandomSource random;
    private final SecureRandom secureRandom;
    private final List<Consumer<WorkloadCertificate>> listeners = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private final Backoff backoff;
    private @Nullable Scheduler.Cancellable pending;
    private boolean started;
    private boolean inFlight;
    private boolean closed;
    private volatile @Nullable WorkloadCertificate current;

    /** A rotator asking for {@code ttl} (zero: the CA's default) with a CSR that names no identity. */
    public CertificateRotator(
            CertificateSigner signer,
            KeyAlgorithm keyAlgorithm,
            Duration ttl,
            Clock clock,
            Scheduler scheduler,
            RandomSource random) {
        this(signer, keyAlgorithm, ttl, null, clock, scheduler, random, new SecureRandom());
    }

    /**
     * @param requested the identity the CSR asks for (the CA signs the one it authenticates anyway);
     *     null for a CSR without a SAN
     * @param secureRandom the source of key material
     */
    public CertificateRotator(
            CertificateSigner signer,
            KeyAlgorithm keyAlgorithm,
            Duration ttl,
            @Nullable SpiffeId requested,
            Clock clock,
            Scheduler scheduler,
            RandomSource random,
            SecureRandom secureRandom) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.keyAlgorithm = Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: >= 0; 0 = the CA's default)");
        }
        this.requested = requested;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.secureRandom = Objects.requireNonNull(secureRandom, "secureRandom");
        this.backoff = new Backoff(RETRY_BASE, RETRY_MAX, random);
    }

    /** Requests the first certificate now; later rotations schedule themselves. Calling it again does nothing. */
    public void start() {
        synchronized (this) {
            // A second start would arm a second timer chain next to the first.
            if (started) {
                return;
            }
            started = true;
        }
        rotate();
    }

    /**
     * Calls {@code listener} with every new certificate, and right away with the current one if there
     * is one (so a late subscriber does not wait for the next rotation).
     */
    public void addListener(Consumer<WorkloadCertificate> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        WorkloadCertificate now = current;
        if (now != null) {
            listener.accept(now);
        }
    }

    /** The certificate in use, or null before the first signing succeeded. */
    public @Nullable WorkloadCertificate current() {
        return current;
    }

    /** Stops rotating; a signing still in flight is discarded. */
    @Override
    public synchronized void close() {
        closed = true;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    /** One rotation: new key, new CSR, signing; the response is handled by {@link #onSigned}. */
    void rotate() {
        synchronized (this) {
            pending = null;
            if (closed || inFlight) {
                return;
            }
            inFlight = true;
        }
        KeyPair keys;
        String csr;
        try {
            keys = KeyPairs.generate(keyAlgorithm, secureRandom);
            csr = requested == null ? Csrs.create(keys, secureRandom) : Csrs.create(keys, requested, secureRandom);
        } catch (RuntimeException e) {
            onSigned(null, null, e);
            return;
        }
        try {
            signer.sign(csr, ttl).whenComplete((chain, error) -> onSigned(keys, chain, error));
        } catch (RuntimeException e) {
            onSigned(keys, null, e);
        }
    }

    private void onSigned(@Nullable KeyPair keys, @Nullable List<String> chain, @Nullable Throwable error) {
        WorkloadCertificate fresh = null;
        String failure;
        if (error != null) {
            failure = String.valueOf(error.getMessage());
        } else if (keys == null || chain == null) {
            failure = "CA returned no certificate chain";
        } else {
            try {
                fresh = ResponseChecker.check(keys, chain, Instant.ofEpochMilli(clock.currentTimeMillis()));
                failure = "";
            } catch (IllegalArgumentException e) {
                failure = String.valueOf(e.getMessage());
            }
        }
        synchronized (this) {
            inFlight = false;
            if (closed) {
                return;
            }
            Duration delay;
            if (fresh != null) {
                current = fresh;
                backoff.reset();
                delay = untilRotation(fresh);
                log.info(
                        "workload certificate {} valid until {}; next rotation in {}",
                        fresh.spiffeId(),
                        fresh.notAfter(),
                        delay);
            } else {
                delay = backoff.nextDelay();
                WorkloadCertificate kept = current;
                log.warn(
                        "certificate signing failed ({}); {}; retrying in {}",
                        failure,
                        kept == null ? "no certificate yet" : "keeping the current one, valid until " + kept.notAfter(),
                        delay);
            }
            pending = scheduler.schedule(this::rotate, delay);
        }
        if (fresh != null) {
            for (Consumer<WorkloadCertificate> listener : listeners) {
                try {
                    listener.accept(fresh);
                } catch (RuntimeException e) {
                    log.warn("certificate listener failed", e);
                }
            }
        }
    }

    /** Time until {@code notBefore + (0.5 ± 0.01 jitter) × lifetime}, never negative. */
    Duration untilRotation(WorkloadCertificate certificate) {
        long lifetimeMillis = Duration.between(certificate.notBefore(), certificate.notAfter())
                .toMillis();
        double ratio = GRACE_PERIOD_RATIO + (random.nextDouble() * 2 - 1) * GRACE_PERIOD_RATIO_JITTER;
        Instant at = certificate.notBefore().plusMillis((long) (lifetimeMillis * ratio));
        Duration delay = Duration.between(Instant.ofEpochMilli(clock.currentTimeMillis()), at);
        return delay.isNegative() ? Duration.ZERO : delay;
    }
}
