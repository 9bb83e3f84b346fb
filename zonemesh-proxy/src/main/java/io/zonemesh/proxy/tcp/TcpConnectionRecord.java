package io.zonemesh.proxy.tcp;

import io.zonemesh.common.Nullable;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.http.ResponseFlag;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What a TCP connection's metrics are labelled with, as of one report.
 *
 * @param listener the listener that accepted it
 * @param cluster the upstream cluster ({@code PassthroughCluster} for capture passthrough), null
 *     when none was chosen (NC)
 * @param upstreamHost the host it connected to (or last tried), null when none was picked
 * @param destination the original destination of a passed-through connection, else null
 * @param flags Envoy's response flags so far (UH, UF, URX, UO, NC), in order of occurrence
 */
public record TcpConnectionRecord(
        String listener,
        Direction direction,
        @Nullable String cluster,
        @Nullable HostSpec upstreamHost,
        @Nullable InetSocketAddress destination,
        List<ResponseFlag> flags) {

    public TcpConnectionRecord {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(direction, "direction");
        flags = List.copyOf(flags);
    }
}
