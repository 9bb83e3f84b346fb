package io.zonemesh.proxy.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.zonemesh.common.Nullable;

/** Unpacking a {@code transport_socket}'s typed config, with the error Envoy would give. */
final class TransportSockets {
    private TransportSockets() {}

    /** The typed config as {@code type}, or null after recording why not at {@code path}. */
    static <T extends Message> @Nullable T unpack(
            TransportSocket socket, Class<T> type, String typeUrl, ValidationErrors errors, String path) {
        if (!socket.hasTypedConfig() || !socket.getTypedConfig().getTypeUrl().equals(typeUrl)) {
            errors.add(
                    path + ".typed_config",
                    socket.hasTypedConfig() ? socket.getTypedConfig().getTypeUrl() : "unset",
                    typeUrl);
            return null;
        }
        try {
            return socket.getTypedConfig().unpack(type);
        } catch (InvalidProtocolBufferException e) {
            errors.add(path + ".typed_config", "undecodable bytes", "a valid " + type.getSimpleName());
            return null;
        }
    }
}
