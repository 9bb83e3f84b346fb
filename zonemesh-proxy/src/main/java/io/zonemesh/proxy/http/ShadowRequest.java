package io.zonemesh.proxy.http;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.Host;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mirrored copy of a request ({@code request_mirror_policies}): sent to a host of the mirror
 * cluster with {@code -shadow} appended to the host name, as Envoy does, and forgotten: its
 * response is read and dropped, its failures only logged, and the original request never waits
 * for it. It takes a {@code max_requests} slot of the mirror cluster like any request.
 */
final class ShadowRequest implements UpstreamHandler.Listener {
    private static final Logger log = LoggerFactory.getLogger(ShadowRequest.class);

    private final ListenerContext context;
    private final ActiveCluster cluster;
    private final Host host;
    private @Nullable PooledConnection connection;
    private boolean keepAlive;

    private ShadowRequest(ListenerContext context, ActiveCluster cluster, Host host) {
        this.context = context;
        this.cluster = cluster;
        this.host = host;
    }

    /** Sends a copy of {@code request} (released here) to a host of {@code cluster}. */
    static void send(ListenerContext context, EventLoop loop, ActiveCluster cluster, FullHttpRequest request) {
        Host host = cluster.loadBalancer().chooseHost(context.random().nextLong(Long.MAX_VALUE), Set.of());
        if (host == null || !cluster.breakers().requests().tryAcquire()) {
            request.release();
            return;
        }
        String authority = request.headers().get(HttpHeaderNames.HOST, "");
        request.headers().set(HttpHeaderNames.HOST, shadowHost(authority));
        ShadowRequest shadow = new ShadowRequest(context, cluster, host);
        host.onRequestStart();
        PoolKey key =
                PoolKey.of(cluster, host.spec());
        Future<PooledConnection> future = context.pools()
                .acquire(
                        loop,
                        key,
                        cluster.config().connectTimeout(),
                        cluster.config().httpOptions(),
                        cluster.breakers(),
                        cluster.transportFor(host.spec()),
                        false);
        future.addListener(f -> shadow.onAcquired(future, request));
    }

    /** {@code host[:port]} with {@code -shadow} after the host name. */
    static String shadowHost(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon > authority.lastIndexOf(']')) {
            return authority.substring(0, colon) + "-shadow" + authority.substring(colon);
        }
        return authority + "-shadow";
    }

    private void onAcquired(Future<PooledConnection> future, FullHttpRequest request) {
        if (!future.isSuccess()) {
            request.release();
            log.debug(
                    "mirror to {} not sent: {}", cluster.name(), future.cause().toString());
            end();
            return;
        }
        PooledConnection acquired = future.getNow();
        connection = acquired;
        acquired.handler.bind(this);
        acquired.channel.writeAndFlush(request).addListener(write -> {
            if (!write.isSuccess() && connection == acquired) {
                acquired.handler.unbind();
                onUpstreamFailure(write.cause());
            }
        });
        acquired.channel.read();
    }

    @Override
    public void onUpstreamHead(HttpResponse head) {
        keepAlive = head.decoderResult().isSuccess() && HttpUtil.isKeepAlive(head);
        ReferenceCountUtil.release(head);
        if (!head.decoderResult().isSuccess()) {
            onUpstreamFailure(head.decoderResult().cause());
        }
    }

    @Override
    public void onUpstreamContent(HttpContent content) {
        boolean ok = content.decoderResult().isSuccess();
        content.release();
        if (!ok) {
            onUpstreamFailure(content.decoderResult().cause());
            return;
        }
        PooledConnection used = connection;
        if (content instanceof LastHttpContent && used != null) {
            connection = null;
            context.pools().release(used, keepAlive, cluster.config().httpOptions());
            end();
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        // The response is dropped as fast as it arrives.
        PooledConnection used = connection;
        if (used != null) {
            used.channel.read();
        }
    }

    @Override
    public void onUpstreamFailure(@Nullable Throwable cause) {
        PooledConnection used = connection;
        connection = null;
        if (used != null) {
            context.pools().release(used, false, cluster.config().httpOptions());
            log.debug("mirror to {} failed", cluster.name(), cause);
            end();
        }
    }

    private void end() {
        host.onRequestEnd();
        cluster.breakers().requests().release();
    }
}
