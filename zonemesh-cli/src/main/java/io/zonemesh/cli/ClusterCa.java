package io.zonemesh.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Scheduler;
import io.zonemesh.controlplane.ca.CaHolder;
import io.zonemesh.controlplane.ca.CacertsDirectoryWatcher;
import io.zonemesh.kube.ca.CacertsSecret;
import io.zonemesh.kube.ca.SelfSignedCaSecret;
import io.zonemesh.security.ca.CertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where {@code zonemesh control-plane}'s CA comes from, in istiod's order
 * ({@code pilot/pkg/bootstrap/istio_ca.go}): the plug-in folder ({@code --cacerts}, the
 * {@code cacerts} Secret mounted at {@code /etc/cacerts}) when it holds plug-in files, else the
 * {@code cacerts} Secret in the control plane's namespace read through the API, else a self-signed
 * root kept in the Secret {@code zonemesh-ca-secret} (istiod's {@code istio-ca-secret}). A plug-in
 * CA is followed and reloaded when it changes; a broken one stops the start with the file and the
 * reason.
 */
final class ClusterCa implements AutoCloseable {
    /**
     * Any of these in the folder makes it a plug-in CA (Istio's names and kubernetes.io/tls's); a
     * folder with some but not all of them is an error naming the missing file, not a silent
     * self-signed root. An empty folder is the optional Secret volume with no Secret behind it.
     */
    private static final List<String> PLUGIN_FILES =
            List.of("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem", "tls.crt", "tls.key", "ca.crt");
    /** How often the plug-in folder is compared with the CA in use. */
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(10);

    private final CaHolder holder;
    private final String source;
    private final AutoCloseable watch;

    private ClusterCa(CaHolder holder, String source, AutoCloseable watch) {
        this.holder = holder;
        this.source = source;
        this.watch = watch;
    }

    /**
     * @throws IllegalArgumentException when a plug-in CA is there but broken (its message names the
     *     folder or Secret, the file and what is wrong)
     */
    static ClusterCa resolve(
            Path cacertsDir, KubernetesClient client, String namespace, Clock clock, SecureRandom random)
            throws IOException {
        if (hasPluginFiles(cacertsDir)) {
            CertificateAuthority ca;
            try {
                ca = CertificateAuthority.fromDirectory(cacertsDir, clock, random);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--cacerts " + cacertsDir + ": " + e.getMessage(), e);
            }
            CaHolder holder = new CaHolder(ca);
            ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "zonemesh-cacerts-watch");
                t.setDaemon(true);
                return t;
            });
            CacertsDirectoryWatcher watcher = CacertsDirectoryWatcher.start(
                    cacertsDir, holder, clock, random, Scheduler.of(thread), RELOAD_INTERVAL);
            return new ClusterCa(holder, "plug-in CA " + cacertsDir, () -> {
                watcher.close();
                thread.shutdownNow();
            });
        }
        CertificateAuthority fromSecret = CacertsSecret.read(client, namespace, clock, random);
        if (fromSecret != null) {
            CaHolder holder = new CaHolder(fromSecret);
            CacertsSecret watch = CacertsSecret.watch(client, namespace, fromSecret, clock, random, holder::replace);
            return new ClusterCa(holder, "plug-in CA Secret " + namespace + "/" + CacertsSecret.NAME, watch);
        }
        CertificateAuthority selfSigned = SelfSignedCaSecret.loadOrCreate(client, namespace, clock, random);
        return new ClusterCa(
                new CaHolder(selfSigned),
                "self-signed root kept in Secret " + namespace + "/" + SelfSignedCaSecret.NAME + " (no plug-in CA in "
                        + cacertsDir + " or Secret " + namespace + "/" + CacertsSecret.NAME + ")",
                () -> {});
    }

    private static boolean hasPluginFiles(Path dir) {
        for (String f : PLUGIN_FILES) {
            if (Files.exists(dir.resolve(f))) {
                return true;
            }
        }
        return false;
    }

    CaHolder holder() {
        return holder;
    }

    /** Where the CA came from, for the start-up line. */
    String source() {
        return source;
    }

    @Override
    public void close() throws Exception {
        watch.close();
    }
}
