package io.zonemesh.security.ca;

import io.zonemesh.common.Clock;
import io.zonemesh.security.Pem;
import io.zonemesh.security.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and checks a plug-in CA (Istio {@code pilot/pkg/bootstrap/istio_ca.go}
 * {@code detectSigningCABundleAndCRL} and {@code ca.go NewPluggedCertIstioCAOptions}): the
 * {@code kubernetes.io/tls} form is used when {@code tls.crt} exists (chain = tls.crt then ca.crt),
 * Istio's own form otherwise. The checks Istio's {@code KeyCertBundle.Verify} makes fail here with the
 * file and the reason: key does not match the certificate, certificate is not a CA, chain does not
 * reach the root.
 */
final class CaBundles {
    static final String CA_CERT = "ca-cert.pem";
    static final String CA_KEY = "ca-key.pem";
    static final String ROOT_CERT = "root-cert.pem";
    static final String CERT_CHAIN = "cert-chain.pem";
    static final String TLS_CERT = "tls.crt";
    static final String TLS_KEY = "tls.key";
    static final String TLS_CA = "ca.crt";
    private static final List<String> ALL = List.of(CA_CERT, CA_KEY, ROOT_CERT, CERT_CHAIN, TLS_CERT, TLS_KEY, TLS_CA);
    private static final String EXPECTED =
            "expected: ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem, or tls.crt, tls.key and ca.crt";

    private CaBundles() {}

    static CertificateAuthority fromDirectory(Path dir, Clock clock, SecureRandom random) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": not a directory (" + EXPECTED + ")");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : ALL) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                try {
                    files.put(name, Files.readAllBytes(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
                }
            }
        }
        return fromFiles(files, dir.toString(), clock, random);
    }

    static CertificateAuthority fromFiles(Map<String, byte[]> files, String source, Clock clock, SecureRandom random) {
        boolean tls = files.containsKey(TLS_CERT);
        String certName = tls ? TLS_CERT : CA_CERT;
        String keyName = tls ? TLS_KEY : CA_KEY;
        String rootName = tls ? TLS_CA : ROOT_CERT;
        List<X509Certificate> signingCerts = certificates(files, source, certName);
        X509Certificate signing = signingCerts.get(0);
        PrivateKey key = key(files, source, keyName);
        List<X509Certificate> roots = certificates(files, source, rootName);
        List<X509Certificate> chainFile = new ArrayList<>();
        if (tls) {
            chainFile.addAll(signingCerts);
            chainFile.addAll(roots);
        } else if (!text(files, source, CERT_CHAIN).isBlank()) {
            chainFile.addAll(certificates(files, source, CERT_CHAIN));
        }
        String chainName = tls ? certName : CERT_CHAIN;

        if (!Signatures.matches(key, signing.getPublicKey())) {
            throw new IllegalArgumentException(
                    source + "/" + keyName + ": private key does not match the certificate in " + certName + " ("
                            + subject(signing) + ") (expected: the key of " + certName + ")");
        }
        if (signing.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(source + "/" + certName + ": " + subject(signing)
                    + " is not a CA (expected: basicConstraints CA:true)");
        }
        boolean[] usage = signing.getKeyUsage();
        if (usage != null && (usage.length <= 5 || !usage[5])) {
            throw new IllegalArgumentException(source + "/" + certName + ": " + subject(signing)
                    + " may not sign certificates (expected: keyUsage keyCertSign)");
        }
        List<X509Certificate> intermediates = new ArrayList<>(chainFile);
        intermediates.removeAll(roots);
        if (!roots.contains(signing)) {
            checkReachesRoot(signing, intermediates, roots, clock, source + "/" + chainName, certName, rootName);
        }
        // What follows a leaf: the signing certificate and its issuers below the root. Istio sends
        // cert-chain.pem as is (ca-cert first by convention); a file without ca-cert would give peers
        // an incomplete chain, so the signing certificate is put first when missing.
        List<X509Certificate> certChain = new ArrayList<>(intermediates);
        if (!roots.contains(signing)
                && (certChain.isEmpty() || !certChain.get(0).equals(signing))) {
            certChain.remove(signing);
            certChain.add(0, signing);
        }
        return new CertificateAuthority(key, signing, certChain, roots, clock, random);
    }

    private static void checkReachesRoot(
            X509Certificate signing,
            List<X509Certificate> intermediates,
            List<X509Certificate> roots,
            Clock clock,
            String where,
            String certName,
            String rootName) {
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate root : roots) {
                anchors.add(new TrustAnchor(root, null));
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(signing);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(Instant.ofEpochMilli(clock.currentTimeMillis())));
            List<X509Certificate> store = new ArrayList<>(intermediates);
            store.add(signing);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
            CertPathBuilder.getInstance("PKIX").build(params);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    where + ": " + certName + " (" + subject(signing) + ") does not chain to "
                            + rootName + " ("
                            + roots.stream().map(CaBundles::subject).collect(Collectors.joining(", "))
                            + ") at the current time: " + e.getMessage(),
                    e);
        }
    }

    private static List<X509Certificate> certificates(Map<String, byte[]> files, String source, String name) {
        String pem = text(files, source, name);
        try {
            return Pem.certificates(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + "/" + name + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey key(Map<String, byte[]> files, String source, String name) {
        String pem = text(files, source, name);
        try {
            return Pem.privateKey(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + "/" + name + ": " + e.getMessage(), e);
        }
    }

    private static String text(Map<String, byte[]> files, String source, String name) {
        byte[] content = files.get(name);
        if (content == null) {
            throw new IllegalArgumentException(source + "/" + name + ": missing (" + EXPECTED + ")");
        }
        return new String(content, StandardCharsets.US_ASCII);
    }

    static String subject(X509Certificate c) {
        String name = c.getSubjectX500Principal().getName();
        return name.isEmpty() ? "serial " + c.getSerialNumber().toString(16) : name;
    }
}
