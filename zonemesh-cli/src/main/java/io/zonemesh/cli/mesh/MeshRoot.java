package io.zonemesh.cli.mesh;

import io.zonemesh.common.Clock;
import io.zonemesh.security.ca.CaFiles;
import io.zonemesh.security.ca.CertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The one root of a {@code zonemesh up --cluster} mesh and an intermediate per cluster, made as
 * {@code zonemesh ca root} and {@code zonemesh ca intermediate} make them (Istio's
 * {@code tools/certs}), so every cluster's workloads verify the others' through the shared root.
 * The files only pass through a private temporary folder, which is deleted once they are loaded:
 * the root key is not kept anywhere, as no cluster needs it after its intermediate is signed.
 */
final class MeshRoot {
    /**
     * RSA 2048 instead of the Makefile's 4096: these keys live as long as the local mesh, and 4096-bit
     * generation would add seconds to every start.
     */
    static final int KEY_BITS = 2048;

    private MeshRoot() {}

    /** An intermediate of one new root for each cluster, by cluster name. */
    static Map<String, CertificateAuthority> intermediates(List<String> clusters, Clock clock, SecureRandom random)
            throws IOException {
        Path dir = Files.createTempDirectory("zonemesh-root-");
        try {
            Path root = dir.resolve("root");
            CaFiles.writeRoot(root, clock, random, KEY_BITS);
            Map<String, CertificateAuthority> out = new LinkedHashMap<>();
            for (String cluster : clusters) {
                Path out1 = dir.resolve("cluster-" + out.size());
                CaFiles.writeIntermediate(root, cluster, out1, clock, random, KEY_BITS);
                out.put(cluster, CertificateAuthority.fromDirectory(out1, clock, random));
            }
            return out;
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
