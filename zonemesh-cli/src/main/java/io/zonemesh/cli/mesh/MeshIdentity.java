package io.zonemesh.cli.mesh;

import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sSecret;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.controlplane.ca.CaHolder;
import io.zonemesh.proxy.identity.CaClientOptions;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.BootstrapTokens;
import io.zonemesh.security.ca.CertificateAuthority;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The local mesh's identity authority: its CA (a self-signed root made at start, or the plug-in CA
 * of a {@code cacerts} Secret in the YAML, reloaded when the Secret changes) and the per-pod
 * bootstrap credential each sidecar presents to it. The credential stands in for the projected
 * service-account token a pod has on Kubernetes: the CA signs the identity the runner gave the
 * pod ({@code spiffe://cluster.local/ns/<ns>/sa/<serviceAccountName>}), whatever a CSR asks for.
 */
final class MeshIdentity {
    /** Namespaces where {@code zonemesh up} looks for the plug-in {@code cacerts} Secret, in order. */
    static final List<String> CACERTS_NAMESPACES = List.of("istio-system", "zonemesh-system");

    static final String CACERTS = "cacerts";
    /** The name the sidecars check in the CA's certificate (istiod's, which it carries). */
    static final String CA_SERVER_NAME = "istiod.istio-system.svc";

    /**
     * How the mesh hands out certificates.
     *
     * @param certificateTtl what each sidecar asks for (Istio's SECRET_TTL, 24 h)
     * @param caAddress maps the CA's bound TLS address to the one sidecars dial (identity; a test
     *     puts a relay in between to take the CA away)
     */
    record Options(Duration certificateTtl, KeyAlgorithm keyAlgorithm, UnaryOperator<InetSocketAddress> caAddress) {
        static final Options DEFAULT = new Options(Duration.ofHours(24), KeyAlgorithm.ECDSA_P256, a -> a);

        Options {
            if (certificateTtl.isNegative() || certificateTtl.isZero()) {
                throw new IllegalArgumentException("certificateTtl: " + certificateTtl + " (expected: > 0)");
            }
            Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
            Objects.requireNonNull(caAddress, "caAddress");
        }

        Options withCertificateTtl(Duration ttl) {
            return new Options(ttl, keyAlgorithm, caAddress);
        }
    }

    private final Options options;
    private final Clock clock;
    private final SecureRandom random;
    private final CaHolder ca;
    private final BootstrapTokens tokens;
    /** The Secret the CA in use came from, or null for the self-signed root. */
    private @Nullable K8sSecret source;

    private MeshIdentity(Options options, Clock clock, SecureRandom random, CaHolder ca, @Nullable K8sSecret source) {
        this.options = options;
        this.clock = clock;
        this.random = random;
        this.ca = ca;
        this.source = source;
        this.tokens = new BootstrapTokens(random);
    }

    /**
     * The CA of {@code bundle}'s {@code cacerts} Secret, else a new self-signed root.
     *
     * @throws IllegalArgumentException when the Secret does not hold a usable CA (the message names
     *     the Secret, the file and what is wrong), as istiod does not start with a broken plug-in CA
     */
    static MeshIdentity create(MeshConfigBundle bundle, Options options, Clock clock, SecureRandom random) {
        return create(bundle, options, clock, random, null);
    }

    /**
     * As {@link #create(MeshConfigBundle, Options, Clock, SecureRandom)}, with {@code fallback} (a
     * cluster's intermediate of the mesh root in {@code zonemesh up --cluster}) instead of a new
     * self-signed root when the YAML holds no {@code cacerts} Secret.
     */
    static MeshIdentity create(
            MeshConfigBundle bundle,
            Options options,
            Clock clock,
            SecureRandom random,
            @Nullable CertificateAuthority fallback) {
        K8sSecret secret = cacerts(bundle);
        CertificateAuthority authority = secret != null
                ? load(secret, clock, random)
                : fallback != null ? fallback : CertificateAuthority.selfSigned("zonemesh", clock, random);
        return new MeshIdentity(options, clock, random, new CaHolder(authority), secret);
    }

    /**
     * Follows a changed {@code cacerts} Secret: a new one is loaded and signs from now on; one that
     * does not load, or a removed Secret, leaves the CA in use (istiod's reload).
     *
     * @throws IllegalArgumentException when the changed Secret does not load; the CA in use stays
     */
    synchronized void apply(MeshConfigBundle bundle) {
        K8sSecret secret = cacerts(bundle);
        if (secret == null || secret.equals(source)) {
            return;
        }
        source = secret; // a broken Secret is reported once, not on every later apply
        ca.replace(load(secret, clock, random));
    }

    CaHolder ca() {
        return ca;
    }

    BootstrapTokens tokens() {
        return tokens;
    }

    Options options() {
        return options;
    }

    /** What a pod's sidecar needs to get its certificate: its own credential and the mesh's roots. */
    CaClientOptions clientOptions(PodInstance pod, InetSocketAddress caTlsAddress, String clusterId) {
        SpiffeId id = identity(pod);
        String token = tokens.issue(id);
        InetSocketAddress dial = options.caAddress().apply(caTlsAddress);
        return new CaClientOptions(
                dial.getHostString() + ":" + dial.getPort(),
                ca.get().roots(),
                CA_SERVER_NAME,
                () -> token,
                clusterId,
                options.keyAlgorithm(),
                options.certificateTtl());
    }

    /** A pod's SPIFFE id: its service account ({@code default} when the spec names none). */
    static SpiffeId identity(PodInstance pod) {
        String sa = pod.spec().serviceAccountName();
        return new SpiffeId(
                SpiffeId.DEFAULT_TRUST_DOMAIN, pod.namespace(), sa == null || sa.isEmpty() ? "default" : sa);
    }

    private static @Nullable K8sSecret cacerts(MeshConfigBundle bundle) {
        for (String ns : CACERTS_NAMESPACES) {
            K8sSecret s = bundle.secret(ns, CACERTS);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private static CertificateAuthority load(K8sSecret secret, Clock clock, SecureRandom random) {
        return CertificateAuthority.fromFiles(
                secret.data(), "Secret " + secret.namespace() + "/" + secret.name(), clock, random);
    }
}
