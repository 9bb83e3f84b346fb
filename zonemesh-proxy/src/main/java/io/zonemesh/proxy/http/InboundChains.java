package io.zonemesh.proxy.http;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.FilterChainConfig;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Envoy's {@code FilterChainManagerImpl::findFilterChain} for chains matched by destination port
 * and transport protocol: the chains naming the connection's destination port if there are any,
 * else those naming none; among them the one naming the detected transport protocol, else one
 * naming none. A level never falls back once it matched (a STRICT port's plaintext connection
 * finds no chain even though port-less plaintext chains exist), and no chain closes the
 * connection.
 */
public final class InboundChains {
    /**
     * Set on a listening socket bound for one application port ({@code zonemesh up}): connections
     * it accepts have that port as their destination port, as a captured connection's original
     * destination would.
     */
    public static final AttributeKey<Integer> APPLICATION_PORT =
            AttributeKey.valueOf(InboundChains.class, "applicationPort");

    private InboundChains() {}

    /** The chain for a connection, null when none matches. */
    static @Nullable FilterChainConfig select(List<FilterChainConfig> chains, int destinationPort, String transport) {
        boolean portMatched = chains.stream().anyMatch(c -> c.destinationPort() == destinationPort);
        int port = portMatched ? destinationPort : 0;
        FilterChainConfig any = null;
        for (FilterChainConfig chain : chains) {
            if (chain.destinationPort() != port) {
                continue;
            }
            if (chain.transportProtocol().equals(transport)) {
                return chain;
            }
            if (chain.transportProtocol().isEmpty() && any == null) {
                any = chain;
            }
        }
        return any;
    }

    /**
     * The destination port a connection is matched by: the application port of the socket that
     * accepted it, else its local port (under TPROXY capture the original destination).
     */
    public static int destinationPort(Channel channel) {
        Channel server = channel.parent();
        if (server != null) {
            Integer port = server.attr(APPLICATION_PORT).get();
            if (port != null) {
                return port;
            }
        }
        return channel.localAddress() instanceof InetSocketAddress local ? local.getPort() : 0;
    }
}
