package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.util.List;

/**
 * The {@code tcp_proxy} filter chains of a listener and its {@code default_filter_chain}, which
 * serves a connection no chain matches (none: such a connection is closed).
 *
 * @param tlsInspector whether the listener has Envoy's {@code envoy.filters.listener.tls_inspector}:
 *     only then is the ClientHello awaited and its SNI and ALPN matched; without it a chain is
 *     chosen at once as for {@code raw_buffer} (so server-first protocols work), as in Envoy
 */
public record TcpFilterChains(
        List<TcpChain> chains, @Nullable TcpChain defaultChain, boolean tlsInspector) {

    public TcpFilterChains {
        chains = List.copyOf(chains);
    }
}
