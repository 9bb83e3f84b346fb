package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.util.Map;
import java.util.Objects;

/**
 * One of a cluster's {@code transport_socket_matches}: an endpoint whose metadata
 * {@code filter_metadata["envoy.transport_socket_match"]} holds every key/value of {@code match}
 * connects with this socket; the first match in order wins, and an endpoint that matches none
 * uses the cluster's {@code transport_socket} (Envoy's {@code TransportSocketMatcherImpl}).
 *
 * @param match the fields to find in the endpoint's metadata; empty matches every endpoint
 * @param tls the TLS settings of the match's socket, null for {@code raw_buffer}
 */
public record TransportSocketMatch(String name, Map<String, String> match, @Nullable UpstreamTls tls) {
    /** The endpoint metadata filter Envoy matches these against. */
    public static final String METADATA_FILTER = "envoy.transport_socket_match";

    public TransportSocketMatch {
        Objects.requireNonNull(name, "name");
        match = Map.copyOf(match);
    }

    /** Whether an endpoint with this {@value #METADATA_FILTER} metadata matches. */
    public boolean matches(Map<String, String> endpointMetadata) {
        for (Map.Entry<String, String> field : match.entrySet()) {
            if (!field.getValue().equals(endpointMetadata.get(field.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
