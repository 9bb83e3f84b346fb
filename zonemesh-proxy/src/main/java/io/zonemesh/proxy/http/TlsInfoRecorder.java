package io.zonemesh.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Records a downstream connection's {@link TlsConnectionInfo} when its handshake completes (before
 * the HTTP handlers exist, so every request sees it), then leaves the pipeline.
 */
final class TlsInfoRecorder extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent done) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (done.isSuccess() && ssl != null) {
                ctx.channel().attr(TlsConnectionInfo.KEY).set(TlsConnectionInfo.from(ssl));
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(event);
    }
}
