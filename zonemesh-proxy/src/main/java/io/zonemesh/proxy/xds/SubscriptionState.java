package io.zonemesh.proxy.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import io.zonemesh.common.Nullable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the xDS client knows of one resource type: the subscribed names, the last accepted
 * version and resources, the nonce to echo, and the last NACK. Confined to the client's
 * executor.
 */
final class SubscriptionState {
    final ResourceType type;
    /** Subscribed names; unused for the wildcard types. */
    Set<String> names = Set.of();
    /** The last ACKed {@code version_info}, sent back with every request (also NACKs). */
    String version = "";
    /** The nonce of the last response on the current stream, "" on a new stream. */
    String nonce = "";
    /** Whether a request of this type went out on the current stream. */
    boolean requestedOnStream;

    boolean accepted;
    Map<String, XdsResource<Object>> resources = Map.of();

    @Nullable
    String nackVersion;

    @Nullable
    String nackError;

    long ackMillis;
    long nackMillis;

    SubscriptionState(ResourceType type) {
        this.type = type;
    }

    /**
     * The next DiscoveryRequest: the current version, nonce and names; {@code errorDetail} makes it
     * a NACK; {@code node} is set on the first request of a stream only.
     */
    DiscoveryRequest request(@Nullable Node node, @Nullable String errorDetail) {
        DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder()
                .setTypeUrl(type.typeUrl())
                .setVersionInfo(version)
                .setResponseNonce(nonce);
        if (!type.wildcard()) {
            request.addAllResourceNames(new TreeSet<>(names));
        }
        if (node != null) {
            request.setNode(node);
        }
        if (errorDetail != null) {
            request.setErrorDetail(com.google.rpc.Status.newBuilder()
                    .setCode(Status.Code.INVALID_ARGUMENT.value())
                    .setMessage(errorDetail));
        }
        return request.build();
    }

    /** The accepted resources with their parsed form cast to what this type parses into. */
    <T> Map<String, XdsResource<T>> typed(Class<T> parsedClass) {
        Map<String, XdsResource<T>> out = new HashMap<>();
        resources.forEach((name, r) -> out.put(
                name,
                new XdsResource<>(r.name(), r.proto(), parsedClass.cast(r.parsed()), r.version(), r.updatedMillis())));
        return out;
    }

    XdsStatus.TypeStatus status() {
        return new XdsStatus.TypeStatus(
                version,
                nonce,
                List.copyOf(new TreeSet<>(names)),
                resources.size(),
                ackMillis,
                nackVersion,
                nackError,
                nackMillis);
    }
}
