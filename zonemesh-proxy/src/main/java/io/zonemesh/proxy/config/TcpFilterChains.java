package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.util.List;

/**
 * The {@code tcp_proxy} filter chains of a listener and its {@code default_filter_chain}, which
 * serves a connection no chain matches (none: such a connection is closed).
 */
public record TcpFilterChains(List<TcpChain> chains, @Nullable TcpChain defaultChain) {

    public TcpFilterChains {
        chains = List.copyOf(chains);
    }
}
