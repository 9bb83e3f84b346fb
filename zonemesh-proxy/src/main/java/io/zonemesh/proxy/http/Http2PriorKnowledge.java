package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.List;

/**
 * Tells HTTP/2 with prior knowledge (h2c: the client opens with the connection preface
 * {@code PRI * HTTP/2.0...}) from HTTP/1.1 on a plaintext listener, as Envoy's HCM with
 * {@code codec_type: AUTO} does. For HTTP/1.1 it just leaves; for h2c it replaces the HTTP/1.1
 * handlers after it with Netty's HTTP/2 frame codec, one child channel per stream, each stream
 * translated to an HTTP/1.1-style request and served by its own {@link DownstreamHandler}
 * (HTTP/2 flow control then does the backpressure, so the connection reads on its own).
 */
final class Http2PriorKnowledge extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ListenerContext context;

    Http2PriorKnowledge(ListenerContext context) {
        this.context = context;
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
        addHttp2Handlers(pipeline, context);
        pipeline.remove(this);
    }

    /**
     * The HTTP/2 handlers of a connection (h2c, or h2 negotiated by ALPN): the frame codec and one
     * child channel per stream serving it as a request. The connection then reads on its own.
     */
    static void addHttp2Handlers(ChannelPipeline pipeline, ListenerContext context) {
        pipeline.addLast(Http2FrameCodecBuilder.forServer().build(), new Http2MultiplexHandler(
                new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel stream) {
                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), new RequestAggregator(),
                                new DownstreamHandler(context));
                    }
                }));
        pipeline.channel().config().setAutoRead(true);
    }
}
