package io.zonemesh.controlplane.ca;

import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.Scheduler;
import io.zonemesh.security.ca.CertificateAuthority;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a plug-in CA folder ({@code --cacerts}, Istio's {@code /etc/cacerts}) when its files
 * change: every {@code interval} it hashes the files Istio reads and, when the hash moved, loads
 * the CA again and hands it to the {@link CaHolder}.
 *
 * <p>Polling rather than a file-system watch: a mounted Secret changes by an atomic swap of a
 * {@code ..data} symlink, which an inotify watch on the files themselves does not see, and a
 * poll over the few small files costs nothing at this interval. A change that does not load (a
 * key that no longer matches its certificate, a half-written update) is logged with its reason
 * and the CA in use stays: certificates keep being signed, and the next complete change is
 * picked up, as istiod keeps its old CA when a reload fails.
 */
public final class CacertsDirectoryWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CacertsDirectoryWatcher.class);

    /** Istio's plug-in file names ({@code security/pkg/pki/ca/ca.go}) and the kubernetes.io/tls ones. */
    static final List<String> FILES =
            List.of("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem", "tls.crt", "tls.key", "ca.crt");

    private final Path dir;
    private final CaHolder holder;
    private final Clock clock;
    private final SecureRandom random;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private byte[] loadedHash;
    /** Guarded by lock. */
    private @Nullable String lastError;
    /** Guarded by lock. */
    private Scheduler.@Nullable Cancellable next;
    /** Guarded by lock. */
    private boolean closed;

    private CacertsDirectoryWatcher(
            Path dir, CaHolder holder, Clock clock, SecureRandom random, Scheduler scheduler, Duration interval)
            throws IOException {
        this.dir = dir;
        this.holder = holder;
        this.clock = clock;
        this.random = random;
        this.scheduler = scheduler;
        this.interval = interval;
        this.loadedHash = hash(dir);
    }

    /**
     * Watches {@code dir}, whose CA is the one {@code holder} holds now (loaded by
     * {@link CertificateAuthority#fromDirectory} just before).
     */
    public static CacertsDirectoryWatcher start(
            Path dir, CaHolder holder, Clock clock, SecureRandom random, Scheduler scheduler, Duration interval)
            throws IOException {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        CacertsDirectoryWatcher w = new CacertsDirectoryWatcher(
                Objects.requireNonNull(dir, "dir"), holder, clock, random, scheduler, interval);
        w.schedule();
        return w;
    }

    /** Why the last change of the files did not load, or null when the files in use are the latest. */
    public @Nullable String lastError() {
        synchronized (lock) {
            return lastError;
        }
    }

    /** Checks the files once now (what every tick does). */
    public void check() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            byte[] now;
            try {
                now = hash(dir);
            } catch (IOException e) {
                remember("--cacerts " + dir + ": cannot be read: " + e.getMessage());
                return;
            }
            if (Arrays.equals(now, loadedHash)) {
                return;
            }
            try {
                CertificateAuthority ca = CertificateAuthority.fromDirectory(dir, clock, random);
                loadedHash = now;
                lastError = null;
                log.info(
                        "plug-in CA in {} changed; signing with {} from now on",
                        dir,
                        ca.signingCertificate().getSubjectX500Principal());
                holder.replace(ca);
            } catch (Exception e) { // the CA's loader names the file and what is wrong with it
                loadedHash = now; // retried when the files change again, not every tick
                remember("--cacerts " + dir + ": the changed files were not loaded, the CA in use stays: "
                        + e.getMessage());
            }
        }
    }

    private void remember(String error) {
        if (!error.equals(lastError)) {
            log.error(error);
        }
        lastError = error;
    }

    private void schedule() {
        synchronized (lock) {
            if (!closed) {
                next = scheduler.schedule(this::tick, interval);
            }
        }
    }

    private void tick() {
        try {
            check();
        } finally {
            schedule();
        }
    }

    /** SHA-256 over each known file's name, length and contents (an absent file has length -1). */
    static byte[] hash(Path dir) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (String name : FILES) {
            digest.update(name.getBytes(StandardCharsets.US_ASCII));
            byte[] content;
            try {
                content = Files.readAllBytes(dir.resolve(name));
            } catch (NoSuchFileException absent) {
                digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
                continue;
            }
            digest.update(
                    ByteBuffer.allocate(Integer.BYTES).putInt(content.length).array());
            digest.update(content);
        }
        return digest.digest();
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (next != null) {
                next.cancel();
            }
        }
    }
}
