package io.zonemesh.proxy.config;

import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Objects;

/**
 * One TLS-terminating filter chain of a gateway listener: the SNI names it serves
 * ({@code filter_chain_match.server_names}, empty for any), the server TLS context from its
 * {@code DownstreamTlsContext}, and the RDS route configuration of its HTTP connection manager.
 *
 * @param tlsSource the {@code DownstreamTlsContext} as received, to tell whether a pushed chain is
 *     the same as the one serving (the TLS context object is rebuilt on every push)
 */
public record TlsChain(List<String> serverNames, SslContext sslContext, String rdsName, String tlsSource) {

    public TlsChain {
        serverNames = List.copyOf(serverNames);
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(rdsName, "rdsName");
        Objects.requireNonNull(tlsSource, "tlsSource");
    }

    /** Whether {@code other} serves the same names with the same TLS config and routes. */
    public boolean sameAs(TlsChain other) {
        return serverNames.equals(other.serverNames)
                && rdsName.equals(other.rdsName)
                && tlsSource.equals(other.tlsSource);
    }
}
