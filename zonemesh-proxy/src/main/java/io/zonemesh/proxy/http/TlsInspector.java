package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Envoy's {@code envoy.filters.listener.tls_inspector} for the inbound: tells a TLS connection
 * from a plaintext one by its first bytes, before any filter chain is chosen. A first byte other
 * than a TLS handshake record's (22) is plaintext at once; otherwise the 5-byte record header
 * decides. A client that sends nothing for {@link #TIMEOUT} (Envoy's
 * {@code listener_filters_timeout}) is treated as plaintext, as Istio's inbound sets
 * {@code continue_on_listener_filters_timeout}, so server-first protocols still get a chain.
 * The bytes read are kept and handed on to the chain's handlers.
 */
final class TlsInspector extends ByteToMessageDecoder {
    static final String TLS = "tls";
    static final String RAW_BUFFER = "raw_buffer";
    /** Envoy's default {@code listener_filters_timeout}. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static final int TLS_HANDSHAKE_RECORD = 22;
    private static final int RECORD_HEADER = 5;

    private final BiConsumer<ChannelHandlerContext, String> onDetected;
    private final Duration timeout;
    private @Nullable ScheduledFuture<?> timer;
    private boolean decided;

    /**
     * @param onDetected installs the chosen chain's handlers after this one (and fires
     *     channelActive for them); this handler then leaves, passing on the bytes it read
     */
    TlsInspector(BiConsumer<ChannelHandlerContext, String> onDetected, Duration timeout) {
        this.onDetected = onDetected;
        this.timeout = timeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // The chain's handlers get channelActive once they exist; until then this reads itself.
        timer = ctx.executor().schedule(() -> decide(ctx, RAW_BUFFER), timeout.toNanos(), TimeUnit.NANOSECONDS);
        ctx.read();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (decided || !in.isReadable()) {
            return;
        }
        if (in.getUnsignedByte(in.readerIndex()) != TLS_HANDSHAKE_RECORD) {
            decide(ctx, RAW_BUFFER);
        } else if (in.readableBytes() >= RECORD_HEADER) {
            decide(ctx, SslHandler.isEncrypted(in, false) ? TLS : RAW_BUFFER);
        }
        // Else fewer than 5 bytes of what may be TLS: ByteToMessageDecoder reads on (auto-read is off).
    }

    private void decide(ChannelHandlerContext ctx, String protocol) {
        if (decided || ctx.isRemoved()) {
            return;
        }
        decided = true;
        cancelTimer();
        onDetected.accept(ctx, protocol);
        if (ctx.channel().isOpen()) {
            // Removal hands the bytes read so far to the handlers just installed.
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimer();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void cancelTimer() {
        ScheduledFuture<?> armed = timer;
        timer = null;
        if (armed != null) {
            armed.cancel(false);
        }
    }
}
