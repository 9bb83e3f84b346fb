package io.zonemesh.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.TlsChain;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Picks a TLS connection's filter chain from its SNI, Envoy's {@code filter_chain_match.server_names}:
 * an exact name, then the longest {@code *.} wildcard, then a chain without names; no match closes
 * the connection. Sits after Netty's {@link io.netty.handler.ssl.SniHandler}, which presents the
 * chosen chain's certificate; once the name is known it installs the HTTP handlers for that chain
 * and leaves. Auto-read is off, so it asks for the first bytes itself.
 */
final class TlsChainSelector extends ChannelInboundHandlerAdapter {
    private final List<TlsChain> chains;
    private final Consumer<TlsChain> install;

    TlsChainSelector(List<TlsChain> chains, Consumer<TlsChain> install) {
        this.chains = chains;
        this.install = install;
    }

    /** The certificate for each name, for the SNI handler; unmatched names get the fallback chain's. */
    static Mapping<String, SslContext> mapping(List<TlsChain> chains) {
        TlsChain fallback = fallback(chains);
        DomainWildcardMappingBuilder<SslContext> builder =
                new DomainWildcardMappingBuilder<>((fallback != null ? fallback : chains.get(0)).sslContext());
        for (TlsChain chain : chains) {
            for (String name : chain.serverNames()) {
                builder.add(name, chain.sslContext());
            }
        }
        return builder.build();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // The HTTP handlers see channelActive once the chain is known.
        ctx.read();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof SniCompletionEvent sni)) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        TlsChain chain = sni.isSuccess() ? select(chains, sni.hostname()) : null;
        if (chain == null) {
            ctx.close();
            return;
        }
        install.accept(chain);
        // The new handlers start as on a fresh connection; DownstreamHandler asks for the request.
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    static @Nullable TlsChain select(List<TlsChain> chains, @Nullable String hostname) {
        if (hostname != null) {
            String host = hostname.toLowerCase(Locale.ROOT);
            for (TlsChain chain : chains) {
                if (chain.serverNames().stream().anyMatch(n -> n.equalsIgnoreCase(host))) {
                    return chain;
                }
            }
            TlsChain best = null;
            int bestLength = -1;
            for (TlsChain chain : chains) {
                for (String name : chain.serverNames()) {
                    if (name.startsWith("*.")
                            && host.endsWith(name.substring(1).toLowerCase(Locale.ROOT))
                            && name.length() > bestLength) {
                        best = chain;
                        bestLength = name.length();
                    }
                }
            }
            if (best != null) {
                return best;
            }
        }
        return fallback(chains);
    }

    private static @Nullable TlsChain fallback(List<TlsChain> chains) {
        return chains.stream()
                .filter(c -> c.serverNames().isEmpty())
                .findFirst()
                .orElse(null);
    }
}
