package io.zonemesh.security.ca;

import io.zonemesh.common.Clock;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Istio's {@code tools/certs} Makefile ({@code Makefile.selfsigned.mk}, {@code common.mk}) in Java: one
 * root for the mesh, one intermediate per cluster, written as the files of a {@code cacerts} Secret.
 * Every cluster whose control plane signs with an intermediate of the same root trusts the others'
 * workloads.
 */
public final class CaFiles {
    /** {@code ROOTCA_DAYS}. */
    public static final Duration ROOT_TTL = Duration.ofDays(3650);
    /** {@code INTERMEDIATE_DAYS}. */
    public static final Duration INTERMEDIATE_TTL = Duration.ofDays(730);
    /** {@code ROOTCA_KEYSZ} and {@code INTERMEDIATE_KEYSZ}. */
    public static final int RSA_KEY_BITS = 4096;
    /** {@code INTERMEDIATE_SAN_DNS}. */
    public static final String INTERMEDIATE_SAN_DNS = "istiod.istio-system.svc";

    static final String ROOT_KEY = "root-key.pem";
    // common.mk: keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, keyCertSign
    private static final int CA_KEY_USAGE =
            KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyEncipherment | KeyUsage.keyCertSign;

    private CaFiles() {}

    /** {@code make root-ca}: {@code root-cert.pem} and {@code root-key.pem} in {@code outDir}. */
    public static void writeRoot(Path outDir, Clock clock, SecureRandom random) {
        writeRoot(outDir, clock, random, RSA_KEY_BITS);
    }

    /**
     * As {@link #writeRoot(Path, Clock, SecureRandom)} with an RSA key of {@code rsaBits}.
     *
     * @throws IllegalArgumentException when {@code outDir} already holds a root (never overwritten)
     */
    public static void writeRoot(Path outDir, Clock clock, SecureRandom random, int rsaBits) {
        refuseExisting(outDir, CaBundles.ROOT_CERT, ROOT_KEY);
        KeyPair keys = KeyPairs.rsa(rsaBits, random);
        Instant now = Instant.ofEpochMilli(clock.currentTimeMillis());
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Istio")
                .addRDN(BCStyle.CN, "Root CA")
                .build();
        X509Certificate root = Certificates.ca(
                subject,
                keys.getPublic(),
                null,
                keys.getPrivate(),
                null,
                CA_KEY_USAGE,
                List.of(),
                now,
                now.plus(ROOT_TTL),
                random);
        write(outDir, ROOT_KEY, Pem.encode(keys.getPrivate()), true);
        write(outDir, CaBundles.ROOT_CERT, Pem.encode(root), false);
    }

    /**
     * {@code make <cluster>-cacerts}: {@code ca-cert.pem}, {@code ca-key.pem}, {@code root-cert.pem} and
     * {@code cert-chain.pem} (intermediate then root) in {@code outDir}, signed by the root in {@code rootDir}.
     */
    public static void writeIntermediate(Path rootDir, String cluster, Path outDir, Clock clock, SecureRandom random) {
        writeIntermediate(rootDir, cluster, outDir, clock, random, RSA_KEY_BITS);
    }

    /**
     * As {@link #writeIntermediate(Path, String, Path, Clock, SecureRandom)} with an RSA key of {@code rsaBits}.
     *
     * @throws IllegalArgumentException when the root files are missing or do not match, or
     *     {@code outDir} already holds a CA key
     */
    public static void writeIntermediate(
            Path rootDir, String cluster, Path outDir, Clock clock, SecureRandom random, int rsaBits) {
        if (cluster.isBlank() || cluster.chars().anyMatch(c -> c == '/' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException(
                    "cluster: '" + cluster + "' (expected: a cluster name such as cluster1)");
        }
        X509Certificate root = readRoot(rootDir);
        PrivateKey rootKey = readRootKey(rootDir, root);
        refuseExisting(outDir, CaBundles.CA_CERT, CaBundles.CA_KEY);
        KeyPair keys = KeyPairs.rsa(rsaBits, random);
        Instant now = Instant.ofEpochMilli(clock.currentTimeMillis());
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Istio")
                .addRDN(BCStyle.CN, "Intermediate CA")
                .addRDN(BCStyle.L, cluster)
                .build();
        X509Certificate intermediate = Certificates.ca(
                subject,
                keys.getPublic(),
                root,
                rootKey,
                0,
                CA_KEY_USAGE,
                List.of(INTERMEDIATE_SAN_DNS),
                now,
                now.plus(INTERMEDIATE_TTL),
                random);
        write(outDir, CaBundles.CA_KEY, Pem.encode(keys.getPrivate()), true);
        write(outDir, CaBundles.CA_CERT, Pem.encode(intermediate), false);
        write(outDir, CaBundles.ROOT_CERT, Pem.encode(root), false);
        write(outDir, CaBundles.CERT_CHAIN, Pem.encode(intermediate, root), false);
    }

    private static X509Certificate readRoot(Path rootDir) {
        X509Certificate root =
                Pem.certificates(read(rootDir, CaBundles.ROOT_CERT)).get(0);
        if (root.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(rootDir.resolve(CaBundles.ROOT_CERT) + ": " + CaBundles.subject(root)
                    + " is not a CA (expected: basicConstraints CA:true)");
        }
        return root;
    }

    private static PrivateKey readRootKey(Path rootDir, X509Certificate root) {
        PrivateKey key;
        try {
            key = Pem.privateKey(read(rootDir, ROOT_KEY));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(rootDir.resolve(ROOT_KEY) + ": " + e.getMessage(), e);
        }
        if (!Signatures.matches(key, root.getPublicKey())) {
            throw new IllegalArgumentException(rootDir.resolve(ROOT_KEY) + ": private key does not match "
                    + rootDir.resolve(CaBundles.ROOT_CERT) + " (expected: the key of root-cert.pem)");
        }
        return key;
    }

    private static String read(Path dir, String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": missing (expected: root-cert.pem and root-key.pem as "
                    + "`zonemesh ca root --out " + dir + "` writes them)");
        }
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void refuseExisting(Path dir, String... names) {
        for (String name : names) {
            if (Files.exists(dir.resolve(name))) {
                throw new IllegalArgumentException(dir.resolve(name)
                        + ": exists (expected: a directory without CA files; a CA key is never overwritten)");
            }
        }
    }

    private static void write(Path dir, String name, String content, boolean secret) {
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            // A key file is created owner-only before anything is written to it (as openssl genrsa does).
            if (secret && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
