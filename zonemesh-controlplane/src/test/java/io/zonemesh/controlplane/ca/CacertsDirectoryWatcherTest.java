package io.zonemesh.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.FakeClock;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.CaFiles;
import io.zonemesh.security.ca.CertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plug-in CA folder replaced under a running control plane (istiod's cacerts reload), on
 * virtual time: new certificates chain to the new root; a broken replacement is reported with its
 * file and reason while the CA in use keeps signing.
 */
class CacertsDirectoryWatcherTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final SpiffeId ID = new SpiffeId("cluster.local", "shop", "reviews");

    private final FakeClock clock = new FakeClock();
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path tmp;

    /** An Istio {@code <cluster>-cacerts} folder: an intermediate of a new root. */
    private Path cacerts(String name) throws Exception {
        Path root = tmp.resolve(name + "-root");
        Path out = tmp.resolve(name + "-cacerts");
        CaFiles.writeRoot(root, clock, random, 2048);
        CaFiles.writeIntermediate(root, "cluster1", out, clock, random, 2048);
        return out;
    }

    /** The last certificate of what the CA signs for a fresh CSR: the root a client must trust. */
    private X509Certificate rootOfNewCertificates(CertificateAuthority ca) {
        String csr = Csrs.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256, random), ID);
        List<String> chain = ca.sign(csr, ID, Duration.ofHours(1));
        return Pem.certificates(chain.get(chain.size() - 1)).get(0);
    }

    private static void replace(Path from, Path to) throws Exception {
        for (String f : List.of("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem")) {
            Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void replacedFilesAreLoadedAndNewCertificatesChainToTheNewRoot() throws Exception {
        Path live = cacerts("first");
        Path second = cacerts("second");
        CaHolder holder = new CaHolder(CertificateAuthority.fromDirectory(live, clock, random));
        X509Certificate firstRoot = rootOfNewCertificates(holder.get());
        try (CacertsDirectoryWatcher watcher =
                CacertsDirectoryWatcher.start(live, holder, clock, random, clock, INTERVAL)) {
            clock.advance(INTERVAL);
            assertThat(rootOfNewCertificates(holder.get()))
                    .as("unchanged files")
                    .isEqualTo(firstRoot);

            replace(second, live);
            clock.advance(INTERVAL);

            X509Certificate newRoot = Pem.certificates(Files.readString(second.resolve("root-cert.pem")))
                    .get(0);
            assertThat(rootOfNewCertificates(holder.get())).isEqualTo(newRoot).isNotEqualTo(firstRoot);
            assertThat(watcher.lastError()).isNull();
        }
    }

    @Test
    void aBrokenReplacementIsReportedWithItsFileAndTheCaInUseStays() throws Exception {
        Path live = cacerts("first");
        Path other = cacerts("other");
        CaHolder holder = new CaHolder(CertificateAuthority.fromDirectory(live, clock, random));
        CertificateAuthority before = holder.get();
        try (CacertsDirectoryWatcher watcher =
                CacertsDirectoryWatcher.start(live, holder, clock, random, clock, INTERVAL)) {
            // A key that does not belong to ca-cert.pem: a half-done or wrong update.
            Files.copy(other.resolve("ca-key.pem"), live.resolve("ca-key.pem"), StandardCopyOption.REPLACE_EXISTING);
            clock.advance(INTERVAL);

            assertThat(holder.get()).isSameAs(before);
            assertThat(watcher.lastError()).contains(live.toString()).contains("ca-key.pem");

            // Completing the update loads it.
            replace(other, live);
            clock.advance(INTERVAL);
            assertThat(holder.get()).isNotSameAs(before);
            assertThat(watcher.lastError()).isNull();
        }
    }

    @Test
    void closingStopsTheChecks() throws Exception {
        Path live = cacerts("first");
        CaHolder holder = new CaHolder(CertificateAuthority.fromDirectory(live, clock, random));
        CacertsDirectoryWatcher.start(live, holder, clock, random, clock, INTERVAL)
                .close();

        assertThat(clock.pendingTasks()).isEmpty();
    }
}
