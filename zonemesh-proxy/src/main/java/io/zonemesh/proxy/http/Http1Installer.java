package io.zonemesh.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Installs a connection's HTTP/1.1 handlers (the scanner, the codec, the aggregator and the
 * {@link DownstreamHandler}) when its first byte arrives, and reads until then. A connection that
 * never sends a byte thus costs a channel and its timers only: about half the heap of a fully
 * built pipeline (issue 8: 17,000 silent connections filled a 64 MB heap at ~2.8 KB each). It
 * sits between the timers' byte watcher and {@link ConnectionTimeouts}, so the scanner and the
 * codec land where they read raw bytes and the timers see decoded requests.
 */
final class Http1Installer extends ChannelInboundHandlerAdapter {
    private final ListenerContext context;

    Http1Installer(ListenerContext context) {
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Auto-read is off: ask for the first bytes (the DownstreamHandler asks from then on).
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter(
                ctx.name(),
                null,
                new HttpServerCodec(HttpLimits.MAX_INITIAL_LINE, HttpLimits.MAX_HEADER_BYTES, HttpLimits.MAX_CHUNK));
        pipeline.addAfter(ctx.name(), null, new Http1RequestScanner());
        pipeline.addLast(new RequestAggregator(), new DownstreamHandler(context));
        pipeline.remove(this);
        // A removed handler's context still forwards to the handlers that followed it.
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelReadComplete();
    }
}
