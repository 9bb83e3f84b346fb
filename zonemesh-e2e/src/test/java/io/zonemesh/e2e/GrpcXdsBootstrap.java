package io.zonemesh.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bootstrap grpc-java's xDS client reads to find the control plane and to say who it is
 * (gRFC A27 bootstrap; XDS_INTEROP.md "Bootstrap").
 *
 * <p>The node follows docs/XDS_SHAPES.md "Node": id {@code <pod>.<namespace>}, cluster
 * {@code <owner>.<namespace>}, metadata {@code NAMESPACE}, {@code NAME} and {@code LABELS}, and the
 * client's own locality, which the control plane uses because no registry workload has this name
 * (LOCALITY.md §2.3). grpc-java adds the client feature {@code envoy.lb.does_not_support_overprovisioning}
 * itself, which is what makes the control plane emit the grpc shapes.
 */
record GrpcXdsBootstrap(
        int xdsPort, String namespace, String name, String region, String zone, Map<String, String> labels) {
    /** grpc-java's system property holding the bootstrap JSON (BootstrapperImpl). */
    static final String PROPERTY = "io.grpc.xds.bootstrapConfig";

    GrpcXdsBootstrap {
        if (xdsPort < 1 || xdsPort > 65535) {
            throw new IllegalArgumentException("xdsPort: " + xdsPort + " (expected: 1-65535)");
        }
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(zone, "zone");
        labels = Map.copyOf(labels);
    }

    /** The bootstrap JSON. */
    String json() {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("server_uri", "127.0.0.1:" + xdsPort);
        server.put("channel_creds", List.of(Map.of("type", "insecure")));
        server.put("server_features", List.of("xds_v3"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("NAMESPACE", namespace);
        metadata.put("NAME", name);
        metadata.put("LABELS", labels);
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", name + "." + namespace);
        node.put("cluster", name + "." + namespace);
        node.put("locality", Map.of("region", region, "zone", zone));
        node.put("metadata", metadata);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("xds_servers", List.of(server));
        root.put("node", node);
        try {
            return new ObjectMapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes this the JVM's bootstrap. grpc reads it once, when the first {@code xds:} channel is
     * built, and caches it for the life of the JVM; a second bootstrap would silently be ignored, so
     * installing one over another is refused (surefire forks one JVM per test class).
     */
    void install() {
        String previous = System.getProperty(PROPERTY);
        if (previous != null) {
            throw new IllegalStateException(PROPERTY + ": already set (expected: one bootstrap per JVM)");
        }
        System.setProperty(PROPERTY, json());
    }
}
