package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.time.Duration;
import java.util.List;

/**
 * Tells HTTP/2 with prior knowledge (h2c: the client opens with the connection preface
 * {@code PRI * HTTP/2.0...}) from HTTP/1.1 on a plaintext listener, as Envoy's HCM with
 * {@code codec_type: AUTO} does. For HTTP/1.1 it just leaves; for h2c it replaces the HTTP/1.1
 * handlers after it with Netty's HTTP/2 frame codec, one child channel per stream, each stream
 * translated to an HTTP/1.1-style request and served by its own {@link DownstreamHandler}
 * (HTTP/2 flow control then does the backpressure, so the connection reads on its own).
 *
 * <p>A client that stops inside the preface is answered when the request-headers timeout fires
 * ({@link #goAway}); streams past {@value #MAX_CONCURRENT_STREAMS} at once are refused.
 */
final class Http2PriorKnowledge extends ByteToMessageDecoder {
    /**
     * SETTINGS_MAX_CONCURRENT_STREAMS, the edge guide's 100 (Envoy's default is 2^31-1): Netty
     * resets a stream past it with REFUSED_STREAM (RELIABILITY.md test #5).
     */
    static final int MAX_CONCURRENT_STREAMS = 100;

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ListenerContext context;
    private final Duration idleTimeout;

    /** @param idleTimeout the HTTP/2 connection's idle timeout once the preface is complete; zero: none */
    Http2PriorKnowledge(ListenerContext context, Duration idleTimeout) {
        this.context = context;
        this.idleTimeout = idleTimeout;
    }

    /** Whether part of the h2c preface came and the rest is awaited. */
    boolean midPreface() {
        return internalBuffer().isReadable();
    }

    /**
     * Ends a connection that stopped inside the preface (RFC 9113 3.4: an invalid preface is a
     * PROTOCOL_ERROR): the server preface (an empty SETTINGS) and a GOAWAY, then the close.
     */
    void goAway(ChannelHandlerContext ctx) {
        ByteBuf frames = ctx.alloc().buffer(9 + 17);
        frames.writeMedium(0).writeByte(0x4).writeByte(0).writeInt(0);
        frames.writeMedium(8).writeByte(0x7).writeByte(0).writeInt(0);
        frames.writeInt(0).writeInt((int) Http2Error.PROTOCOL_ERROR.code());
        ctx.writeAndFlush(frames).addListener(f -> ctx.close());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), length)) {
            ctx.pipeline().remove(this);
            return;
        }
        if (length < PREFACE.readableBytes()) {
            ctx.read();
            return;
        }
        switchToHttp2(ctx);
    }

    private void switchToHttp2(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        List<String> names = pipeline.names();
        for (String name : names.subList(names.indexOf(ctx.name()) + 1, names.size())) {
            if (pipeline.context(name) != null && !name.startsWith("DefaultChannelPipeline$TailContext")) {
                pipeline.remove(name);
            }
        }
        addHttp2Handlers(pipeline, context, idleTimeout);
        pipeline.remove(this);
    }

    /**
     * The HTTP/2 handlers of a connection (h2c, or h2 negotiated by ALPN): the frame codec and one
     * child channel per stream serving it as a request. The connection then reads on its own.
     */
    static void addHttp2Handlers(ChannelPipeline pipeline, ListenerContext context, Duration idleTimeout) {
        Http2FrameCodec frameCodec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
                .build();
        // Netty applies its own SETTINGS only once the client acknowledges them; a client that
        // never does would open streams without limit. Enforce the limit from the start, as
        // nghttp2 (Envoy) does with its pending local settings.
        frameCodec.connection().remote().maxActiveStreams(MAX_CONCURRENT_STREAMS);
        pipeline.addLast(frameCodec, new Http2Drain());
        if (!idleTimeout.isZero()) {
            pipeline.addLast(new Http2IdleTimeout(frameCodec.connection(), idleTimeout));
        }
        pipeline.addLast(new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel stream) {
                stream.pipeline()
                        .addLast(
                                new Http2StreamFrameToHttpObjectCodec(true),
                                new RequestAggregator(),
                                new DownstreamHandler(context));
            }
        }));
        pipeline.channel().config().setAutoRead(true);
    }
}
