package io.zonemesh.proxy.xds;

import com.google.protobuf.Message;
import java.util.Objects;

/**
 * One accepted xDS resource: the proto as received (for {@code /config_dump}), what the proxy
 * parsed from it, and the response version and time it arrived in.
 */
public record XdsResource<T>(String name, Message proto, T parsed, String version, long updatedMillis) {

    public XdsResource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(proto, "proto");
        Objects.requireNonNull(parsed, "parsed");
        Objects.requireNonNull(version, "version");
    }
}
