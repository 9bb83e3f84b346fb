package io.zonemesh.bench.load;

import io.zonemesh.common.Clock;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.controlplane.ca.CaHolder;
import io.zonemesh.proxy.identity.CaClientOptions;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.BootstrapTokens;
import io.zonemesh.security.ca.CertificateAuthority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Objects;

/**
 * The bench mesh's identity authority, as {@code zonemesh up} has one (zonemesh-cli
 * {@code MeshIdentity}): a self-signed root made at start and a bootstrap bearer token per pod,
 * which stands in for the pod's projected service-account token. The control plane serves the
 * certificate service with it; each standalone sidecar gets the root and its pod's token as files
 * ({@link #writeFiles}), the same inputs {@code zonemesh proxy}'s {@code --ca-root-cert} and
 * {@code --token-file} read on Kubernetes.
 */
public final class BenchCa {
    /** The name sidecars check in the CA's serving certificate (istiod's, which it carries). */
    public static final String SERVER_NAME = "istiod.istio-system.svc";
    /** The file {@link #writeFiles} writes the root to. */
    public static final String ROOT_FILE = "root-cert.pem";

    private final CaHolder ca;
    private final BootstrapTokens tokens;

    public BenchCa(Clock clock, SecureRandom random) {
        this.ca = new CaHolder(CertificateAuthority.selfSigned("zonemesh-bench", clock, random));
        this.tokens = new BootstrapTokens(random);
    }

    public CaHolder holder() {
        return ca;
    }

    /** The certificate service's authenticator. */
    public BootstrapTokens tokens() {
        return tokens;
    }

    /** A new bearer token for {@code pod}'s identity. */
    public String issue(PodInstance pod) {
        return tokens.issue(identity(pod));
    }

    /** In-process sidecars (tests): the CA client settings of {@code pod}. */
    public CaClientOptions clientOptions(PodInstance pod, int caTlsPort) {
        String token = issue(pod);
        return new CaClientOptions(
                "127.0.0.1:" + caTlsPort,
                ca.get().roots(),
                SERVER_NAME,
                () -> token,
                "Kubernetes",
                KeyAlgorithm.ECDSA_P256,
                CertificateAuthority.DEFAULT_WORKLOAD_CERT_TTL);
    }

    /**
     * Writes {@code root-cert.pem} and, for each pod, {@code <namespace>.<pod>.token} (owner-only)
     * into {@code dir}.
     */
    public void writeFiles(Path dir, Collection<PodInstance> pods) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ROOT_FILE), Pem.encode(ca.get().roots()));
        for (PodInstance pod : pods) {
            Path file = dir.resolve(tokenFile(pod.namespace(), pod.name()));
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, issue(pod), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        }
    }

    /** The token file of {@code namespace/pod} in {@link #writeFiles}'s folder. */
    public static String tokenFile(String namespace, String pod) {
        return namespace + "." + pod + ".token";
    }

    /** A pod's SPIFFE id: its service account ({@code default} when the spec names none), as in {@code zonemesh up}. */
    public static SpiffeId identity(PodInstance pod) {
        Objects.requireNonNull(pod, "pod");
        String sa = pod.spec().serviceAccountName();
        return new SpiffeId(
                SpiffeId.DEFAULT_TRUST_DOMAIN, pod.namespace(), sa == null || sa.isEmpty() ? "default" : sa);
    }
}
