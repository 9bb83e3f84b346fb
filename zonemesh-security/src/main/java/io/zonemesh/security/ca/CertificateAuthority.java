package io.zonemesh.security.ca;

import io.zonemesh.common.Clock;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.WorkloadCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The mesh CA, as istiod's ({@code security/pkg/pki/ca/ca.go}): signs workload CSRs with a signing
 * certificate that is either a self-signed root or a plugged-in intermediate ({@code cacerts}).
 * Immutable and thread-safe; a reload builds a new instance.
 */
public final class CertificateAuthority {
    /** Istio {@code DEFAULT_WORKLOAD_CERT_TTL}: the lifetime of a certificate when none is requested. */
    public static final Duration DEFAULT_WORKLOAD_CERT_TTL = Duration.ofHours(24);
    /** Istio {@code MAX_WORKLOAD_CERT_TTL}: a longer request is refused. */
    public static final Duration MAX_WORKLOAD_CERT_TTL = Duration.ofDays(90);
    /** Istio {@code CITADEL_SELF_SIGNED_CA_CERT_TTL}: ten years. */
    public static final Duration SELF_SIGNED_ROOT_TTL = Duration.ofDays(3650);

    private final PrivateKey signingKey;
    private final X509Certificate signingCertificate;
    private final List<X509Certificate> certChain;
    private final List<X509Certificate> roots;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param certChain what follows a leaf before the roots: the signing certificate and its
     *     intermediates, or empty when the signing certificate is itself a root
     */
    CertificateAuthority(
            PrivateKey signingKey,
            X509Certificate signingCertificate,
            List<X509Certificate> certChain,
            List<X509Certificate> roots,
            Clock clock,
            SecureRandom random) {
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.signingCertificate = Objects.requireNonNull(signingCertificate, "signingCertificate");
        this.certChain = List.copyOf(certChain);
        this.roots = List.copyOf(roots);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A new self-signed root CA as istiod makes on first start without {@code cacerts}: RSA 2048,
     * subject {@code O=<org>} (istiod passes the trust domain), ten years, keyUsage keyCertSign,
     * basicConstraints CA:true.
     */
    public static CertificateAuthority selfSigned(String org, Clock clock, SecureRandom random) {
        Objects.requireNonNull(org, "org");
        KeyPair keys = KeyPairs.rsa(2048, random);
        Instant now = Instant.ofEpochMilli(clock.currentTimeMillis());
        X509Certificate root = Certificates.ca(
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, org).build(),
                keys.getPublic(),
                null,
                keys.getPrivate(),
                null,
                KeyUsage.keyCertSign,
                List.of(),
                now,
                now.plus(SELF_SIGNED_ROOT_TTL),
                random);
        return new CertificateAuthority(keys.getPrivate(), root, List.of(), List.of(root), clock, random);
    }

    /**
     * A plug-in CA from Istio's {@code cacerts} folder: {@code ca-cert.pem ca-key.pem root-cert.pem
     * cert-chain.pem}, or the {@code kubernetes.io/tls} form {@code tls.crt tls.key ca.crt}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     * @throws java.io.UncheckedIOException when a present file cannot be read
     */
    public static CertificateAuthority fromDirectory(Path dir, Clock clock, SecureRandom random) {
        return CaBundles.fromDirectory(dir, clock, random);
    }

    /**
     * As {@link #fromDirectory}, from file names to contents (a Secret's data); {@code source} names
     * where they came from in errors (e.g. {@code secret istio-system/cacerts}).
     */
    public static CertificateAuthority fromFiles(
            Map<String, byte[]> files, String source, Clock clock, SecureRandom random) {
        return CaBundles.fromFiles(files, source, clock, random);
    }

    /**
     * Signs {@code csrPem}'s public key for {@code identity} (never the identity the CSR asks for),
     * valid from two minutes ago for {@code ttl} (zero or negative: 24 h).
     *
     * @return PEM certificates as Istio's {@code CreateCertificate} response: the leaf, then each
     *     certificate of the chain, then the root bundle last
     * @throws IllegalArgumentException for a CSR that does not parse or verify, or a TTL above 90 days
     */
    public List<String> sign(String csrPem, SpiffeId identity, Duration ttl) {
        Objects.requireNonNull(identity, "identity");
        PublicKey key = Csrs.publicKey(Csrs.parse(csrPem));
        X509Certificate leaf = issue(key, GeneralNamesBuilder.uri(identity.uri()), workloadTtl(ttl));
        List<String> out = new ArrayList<>();
        out.add(Pem.encode(leaf));
        for (X509Certificate c : certChain) {
            out.add(Pem.encode(c));
        }
        out.add(Pem.encode(roots));
        return List.copyOf(out);
    }

    /**
     * A certificate for the CA's own TLS port (istiod's 15012 DNS certificate): the workload template
     * with DNS and IP SANs instead of a SPIFFE ID. Not subject to the workload TTL cap, as istiod's.
     */
    public WorkloadCertificate issueServing(
            KeyPair keys, List<String> dnsNames, List<String> ipAddresses, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
        X509Certificate leaf = issue(keys.getPublic(), GeneralNamesBuilder.of(dnsNames, ipAddresses), ttl);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(certChain);
        return new WorkloadCertificate(keys.getPrivate(), chain, roots, "");
    }

    /** The trust bundle: what {@code root-cert.pem} holds. */
    public List<X509Certificate> roots() {
        return roots;
    }

    /** The certificate leaves are signed with ({@code ca-cert.pem}). */
    public X509Certificate signingCertificate() {
        return signingCertificate;
    }

    /** The certificates sent after a leaf and before the roots (empty for a self-signed root). */
    public List<X509Certificate> certChain() {
        return certChain;
    }

    /**
     * This CA in Istio's plug-in form ({@code ca-cert.pem ca-key.pem cert-chain.pem root-cert.pem}),
     * for persisting a self-signed CA (istiod's {@code istio-ca-secret}); {@link #fromFiles} reads it back.
     */
    public Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(CaBundles.CA_CERT, bytes(Pem.encode(signingCertificate)));
        files.put(CaBundles.CA_KEY, bytes(Pem.encode(signingKey)));
        files.put(CaBundles.CERT_CHAIN, bytes(certChain.isEmpty() ? "" : Pem.encode(certChain)));
        files.put(CaBundles.ROOT_CERT, bytes(Pem.encode(roots)));
        return files;
    }

    // Istio ca.go Sign: a non-positive request gets the default; a request above the maximum is an
    // error (TTLError, InvalidArgument on the wire), not silently shortened.
    static Duration workloadTtl(Duration requested) {
        if (requested.isNegative() || requested.isZero()) {
            return DEFAULT_WORKLOAD_CERT_TTL;
        }
        if (requested.compareTo(MAX_WORKLOAD_CERT_TTL) > 0) {
            throw new IllegalArgumentException("ttl: requested TTL " + requested
                    + " is greater than the max allowed TTL " + MAX_WORKLOAD_CERT_TTL + " (MAX_WORKLOAD_CERT_TTL)");
        }
        return requested;
    }

    private X509Certificate issue(PublicKey key, GeneralNames sans, Duration ttl) {
        Instant now = Instant.ofEpochMilli(clock.currentTimeMillis());
        return Certificates.leaf(
                signingCertificate,
                signingKey,
                key,
                sans,
                now.minus(Certificates.CLOCK_SKEW_GRACE),
                now.plus(ttl),
                random);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
