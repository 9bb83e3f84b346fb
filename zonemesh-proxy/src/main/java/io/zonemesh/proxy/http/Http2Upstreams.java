package io.zonemesh.proxy.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.UpstreamTls;
import io.zonemesh.proxy.identity.WorkloadSecrets;
import io.zonemesh.proxy.snapshot.CircuitBreakers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTP/2 upstream connections of one event loop, for clusters with explicit HTTP/2 protocol
 * options (Istio's HTTP2 and GRPC ports): one connection per host (h2c with prior knowledge, or
 * h2 over the cluster's TLS), each request one stream on it, handed out as a
 * {@link PooledConnection} whose channel is the stream. The connection counts against
 * {@code max_connections}; streams are never reused. Confined to {@link #loop}.
 */
final class Http2Upstreams {
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ConnectionPools.Stats stats;
    private final Map<PoolKey, Promise<Channel>> parents = new HashMap<>();
    private boolean closed;

    private final WorkloadSecrets secrets;

    Http2Upstreams(EventLoop loop, Bootstrap bootstrap, ConnectionPools.Stats stats, WorkloadSecrets secrets) {
        this.loop = loop;
        this.secrets = secrets;
        // HTTP/2 flow control paces the connection, so it reads on its own.
        this.bootstrap = bootstrap.clone().option(ChannelOption.AUTO_READ, true);
        this.stats = stats;
    }

    Future<PooledConnection> acquire(
            PoolKey key, Duration connectTimeout, CircuitBreakers breakers, @Nullable UpstreamTls tls) {
        if (closed) {
            return loop.newFailedFuture(new IllegalStateException("connection pool closed"));
        }
        Promise<PooledConnection> promise = loop.newPromise();
        parent(key, connectTimeout, breakers, tls).addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            openStream((Channel) f.getNow(), key, breakers, promise);
        });
        return promise;
    }

    private Future<Channel> parent(
            PoolKey key, Duration connectTimeout, CircuitBreakers breakers, @Nullable UpstreamTls tls) {
        Promise<Channel> existing = parents.get(key);
        if (existing != null
                && (!existing.isDone()
                        || (existing.isSuccess() && existing.getNow().isActive()))) {
            return existing;
        }
        Promise<Channel> ready = loop.newPromise();
        SslContext sslContext = tls == null ? null : UpstreamTlsContexts.resolve(tls, secrets);
        if (tls != null && sslContext == null) {
            ready.tryFailure(UpstreamTlsContexts.notReady());
            return ready;
        }
        parents.put(key, ready);
        if (!breakers.connections().tryAcquire()) {
            // One connection per host is what an HTTP/2 pool needs at least (Envoy opens it too).
            breakers.onOverflow(CircuitBreakers.Resource.CONNECTIONS);
            breakers.connections().forceAcquire();
        }
        ChannelFuture connect = bootstrap
                .clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis())))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null && sslContext != null) {
                            ch.pipeline().addLast(UpstreamTlsContexts.newHandler(sslContext, tls, ch, key.port()));
                        }
                        ch.pipeline()
                                .addLast(
                                        Http2FrameCodecBuilder.forClient().build(),
                                        new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                })
                .connect(key.socketAddress());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                breakers.connections().release();
                parents.remove(key, ready);
                ready.tryFailure(f.cause());
                return;
            }
            Channel channel = connect.channel();
            stats.onOpened(key);
            channel.closeFuture().addListener(c -> {
                parents.remove(key, ready);
                stats.onClosed(key);
                breakers.connections().release();
            });
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl == null) {
                // Netty completes the connect promise before it fires channelActive, which is when
                // the codec writes the connection preface: streams must wait for that.
                loop.execute(() -> ready.trySuccess(channel));
                return;
            }
            ssl.handshakeFuture().addListener(handshake -> {
                Throwable failure = handshake.isSuccess()
                        ? SanVerifier.verify(
                                ssl,
                                Objects.requireNonNull(tls, "TLS handler without settings")
                                        .sanMatchers())
                        : handshake.cause();
                if (failure != null) {
                    channel.close();
                    ready.tryFailure(failure);
                } else {
                    ready.trySuccess(channel);
                }
            });
        });
        return ready;
    }

    private void openStream(Channel parent, PoolKey key, CircuitBreakers breakers, Promise<PooledConnection> promise) {
        UpstreamHandler handler = new UpstreamHandler();
        new Http2StreamChannelBootstrap(parent)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel stream) {
                        stream.pipeline()
                                .addLast(handler.readTracker(), new Http2StreamFrameToHttpObjectCodec(false), handler);
                    }
                })
                .open()
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        promise.tryFailure(f.cause());
                        return;
                    }
                    Channel stream = (Channel) f.getNow();
                    PooledConnection connection = new PooledConnection(stream, key, handler, breakers, true);
                    connection.requests = 1;
                    if (closed || !promise.trySuccess(connection)) {
                        stream.close();
                    }
                });
    }

    /**
     * Retires the connections of keys no cluster uses any more (a removed host, or a cluster
     * whose TLS settings changed): later requests to such a key open a new connection, and the
     * old one closes as Netty's HTTP/2 handler closes gracefully, with a GOAWAY and once its
     * streams in flight have finished, as Envoy drains the pools of a changed cluster. A
     * connection still being opened is retired by the next call once it is up.
     */
    void retain(Set<PoolKey> live) {
        List<Promise<Channel>> stale = new ArrayList<>();
        parents.entrySet().removeIf(entry -> {
            boolean retire = !live.contains(entry.getKey()) && entry.getValue().isDone();
            if (retire) {
                stale.add(entry.getValue());
            }
            return retire;
        });
        for (Promise<Channel> parent : stale) {
            if (parent.isSuccess()) {
                parent.getNow().close();
            }
        }
    }

    void closeAll() {
        closed = true;
        for (Promise<Channel> parent : new ArrayList<>(parents.values())) {
            if (parent.isSuccess()) {
                parent.getNow().close();
            }
        }
        parents.clear();
    }
}
