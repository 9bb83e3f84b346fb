package io.zonemesh.proxy.xds;

import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the xDS client knows of its stream, per resource type, for the admin {@code /xds} page
 * and for tests: the last ACKed version and the last NACK with its error detail.
 *
 * @param connected whether the current stream has received at least one response
 */
public record XdsStatus(boolean connected, long streamsOpened, Map<ResourceType, TypeStatus> types) {

    public XdsStatus {
        types = Map.copyOf(types);
    }

    /** The status of one resource type. */
    public TypeStatus type(ResourceType type) {
        return Objects.requireNonNull(types.get(type), "type");
    }

    /**
     * The xDS state of one resource type, as Envoy's config dump and Istio's sync status show it.
     *
     * @param ackedVersion the last accepted {@code version_info}, "" before the first
     * @param subscribed the subscribed names, empty for the wildcard types
     * @param nackedVersion the {@code version_info} of the last rejected response, or null
     * @param nackError the {@code error_detail} sent with the last NACK, or null
     */
    public record TypeStatus(
            String ackedVersion,
            String nonce,
            List<String> subscribed,
            int resourceCount,
            long lastAckMillis,
            @Nullable String nackedVersion,
            @Nullable String nackError,
            long lastNackMillis) {
        public TypeStatus {
            Objects.requireNonNull(ackedVersion, "ackedVersion");
            Objects.requireNonNull(nonce, "nonce");
            subscribed = List.copyOf(subscribed);
        }
    }
}
