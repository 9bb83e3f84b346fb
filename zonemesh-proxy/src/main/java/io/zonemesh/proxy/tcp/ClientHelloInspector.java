package io.zonemesh.proxy.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.List;

/**
 * Envoy's {@code envoy.filters.listener.tls_inspector} for tcp_proxy listeners: peeks at the
 * ClientHello without consuming it and reports the transport protocol ({@code tls} when a
 * ClientHello arrived, else {@code raw_buffer}), the SNI (read by Netty's
 * {@link AbstractSniHandler}) and the offered ALPN protocols ({@link AlpnExtension}). It then
 * leaves the pipeline, handing every byte it buffered to the handlers the callback installed, so
 * the upstream sees the client's handshake unchanged.
 *
 * <p>A client that sends nothing decisive within {@code timeout} (Envoy's
 * {@code listener_filters_timeout}, 15 s) is closed: Istio does not set
 * {@code continue_on_listener_filters_timeout} on gateway listeners. Auto-read is off, so this
 * asks for the first bytes itself; the decoder reads on while the hello is incomplete.
 */
final class ClientHelloInspector extends AbstractSniHandler<String> {
    /** Envoy's default {@code listener_filters_timeout}. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** Receives what the inspector found; installs the connection's handlers or closes it. */
    @FunctionalInterface
    interface Listener {
        void onInspected(
                ChannelHandlerContext ctx,
                @Nullable String serverName,
                String transportProtocol,
                List<String> applicationProtocols);
    }

    private final Listener listener;
    private boolean tls;
    /** Set once the chain was chosen: closing re-runs the decoder over the bytes still held. */
    private boolean decided;

    private List<String> alpn = List.of();

    ClientHelloInspector(Listener listener, Duration timeout) {
        super(timeout.toMillis());
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        ctx.read();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (!decided) {
            super.decode(ctx, in, out);
        }
    }

    @Override
    protected Future<String> lookup(ChannelHandlerContext ctx, @Nullable ByteBuf clientHello) throws Exception {
        // Null when the first record was not a TLS handshake: a plaintext connection.
        tls = clientHello != null;
        if (clientHello != null) {
            alpn = AlpnExtension.protocols(clientHello);
        }
        return super.lookup(ctx, clientHello);
    }

    @Override
    protected Future<String> lookup(ChannelHandlerContext ctx, @Nullable String hostname) {
        return ctx.executor().newSucceededFuture(hostname);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, @Nullable String hostname, Future<String> future) {
        if (decided) {
            return;
        }
        decided = true;
        listener.onInspected(ctx, hostname, tls ? "tls" : "raw_buffer", alpn);
        if (ctx.channel().isOpen() && !ctx.isRemoved()) {
            // Removal passes the buffered ClientHello to the handlers just installed.
            ctx.pipeline().remove(this);
        }
    }
}
