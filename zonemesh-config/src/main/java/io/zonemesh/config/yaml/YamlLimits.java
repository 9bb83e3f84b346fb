package io.zonemesh.config.yaml;

/**
 * How much YAML zonemesh reads, so that a huge or hostile file costs a precise error instead of
 * minutes of CPU and gigabytes of heap (a watcher that dies of it leaves {@code up} serving a
 * stale config).
 *
 * <p>The defaults follow what a Kubernetes user already lives with: the API server refuses a
 * request body over 3 MiB (and etcd, by default, stores no object over 1.5 MiB), so no object
 * that {@code kubectl apply} can create is over {@link #DEFAULT_MAX_DOCUMENT_CHARS}, which is
 * also SnakeYAML's own default {@code codePointLimit}. A file holds many such objects, so its
 * limit is larger, yet small enough that loading one stays within a modest heap (a 16 MiB file
 * of Services, ~107,000 of them, loads in a 150 MB heap).
 *
 * @param maxFileBytes the largest file read, in bytes
 * @param maxDocumentChars the largest document (between {@code ---} markers), in characters;
 *     this also bounds every scalar
 * @param maxAliasNodes how many nodes aliases may add to one document (each alias adds the
 *     scalars and collections of the node it refers to)
 */
public record YamlLimits(long maxFileBytes, int maxDocumentChars, int maxAliasNodes) {
    /** 16 MiB: several hundred large Kubernetes objects. */
    public static final long DEFAULT_MAX_FILE_BYTES = 16L << 20;
    /** 3 MiB: the API server's limit on one request body, and SnakeYAML's default. */
    public static final int DEFAULT_MAX_DOCUMENT_CHARS = 3 << 20;
    /** Ample for anchors that share labels or policies; far below what a billion-laughs document asks for. */
    public static final int DEFAULT_MAX_ALIAS_NODES = 100_000;

    public static final YamlLimits DEFAULT =
            new YamlLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_DOCUMENT_CHARS, DEFAULT_MAX_ALIAS_NODES);

    public YamlLimits {
        if (maxFileBytes < 1 || maxDocumentChars < 1 || maxAliasNodes < 0) {
            throw new IllegalArgumentException("YAML limits: file " + maxFileBytes + " bytes, document "
                    + maxDocumentChars + " characters, alias nodes " + maxAliasNodes
                    + " (expected: positive sizes, alias nodes >= 0)");
        }
    }

    /** These limits with another file size limit. */
    public YamlLimits withMaxFileBytes(long bytes) {
        return new YamlLimits(bytes, maxDocumentChars, maxAliasNodes);
    }

    /** These limits with another document size limit. */
    public YamlLimits withMaxDocumentChars(int chars) {
        return new YamlLimits(maxFileBytes, chars, maxAliasNodes);
    }
}
