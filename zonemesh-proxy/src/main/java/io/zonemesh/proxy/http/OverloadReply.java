package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole pipeline of a connection accepted past the listener's connection limit. On a
 * plaintext listener it answers Envoy's overload local reply (503 "envoy overloaded", the body of
 * its {@code stop_accepting_requests} action) without reading the request, then closes as
 * Envoy's {@code delayed_close_timeout} does: output shut, input read and dropped until the client
 * closes or 1 s passed, so that the kernel does not reset the connection over unread request
 * bytes before the client read the answer. TLS listeners (a plaintext answer would be garbage
 * there) and connections past {@value #MAX_LINGERING} such lingering ones are just closed, as
 * Envoy closes a connection over its listener's limit. The same answer goes to an HTTP/2 client:
 * it is refused either way.
 *
 * <p>Not in the access log: the request is never read, and Envoy logs no entry for a connection
 * its listener rejects (an overflow is only counted, in the listener's {@code downstream_cx_overflow},
 * which {@code ProxyListener#overflowCount} feeds on {@code /stats/prometheus}).
 */
final class OverloadReply extends ChannelInboundHandlerAdapter {
    static final String BODY = "envoy overloaded";
    /** Overflowing connections of one listener that may linger at once, so a flood costs little. */
    static final int MAX_LINGERING = 256;

    private static final long LINGER_MILLIS = 1000;
    private static final byte[] RESPONSE = ("HTTP/1.1 503 Service Unavailable\r\n"
                    + "content-length: " + BODY.length() + "\r\n"
                    + "content-type: text/plain\r\n"
                    + "connection: close\r\n\r\n" + BODY)
            .getBytes(StandardCharsets.US_ASCII);

    private final boolean answer;
    private final AtomicInteger lingering;
    private boolean counted;

    /**
     * @param answer whether to send the 503 (plaintext listeners)
     * @param lingering the listener's count of overflowing connections being closed
     */
    OverloadReply(boolean answer, AtomicInteger lingering) {
        this.answer = answer;
        this.lingering = lingering;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!answer || lingering.incrementAndGet() > MAX_LINGERING) {
            if (answer) {
                lingering.decrementAndGet();
            }
            ctx.close();
            return;
        }
        counted = true;
        ctx.channel().config().setAutoRead(true);
        ByteBuf response = Unpooled.wrappedBuffer(RESPONSE);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                ctx.close();
                return;
            }
            if (ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            }
            ctx.executor()
                    .schedule(
                            () -> {
                                ctx.close();
                            },
                            LINGER_MILLIS,
                            TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            counted = false;
            lingering.decrementAndGet();
        }
        ctx.fireChannelInactive();
    }
}
