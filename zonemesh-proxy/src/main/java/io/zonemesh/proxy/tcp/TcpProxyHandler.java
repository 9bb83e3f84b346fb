package io.zonemesh.proxy.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.lb.ClusterLoadBalancer.LocalOriginFailure;
import io.zonemesh.lb.Host;
import io.zonemesh.proxy.config.TcpProxyConfig;
import io.zonemesh.proxy.config.UpstreamTls;
import io.zonemesh.proxy.http.ByteTunnel;
import io.zonemesh.proxy.http.ResponseFlag;
import io.zonemesh.proxy.http.UpstreamTlsContexts;
import io.zonemesh.proxy.identity.WorkloadSecrets;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.snapshot.CircuitBreakers;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy's {@code tcp_proxy} filter on one downstream connection: picks the cluster (weighted if
 * configured), a host from the cluster's load balancer (locality priorities, outlier ejections),
 * takes a {@code max_connections} slot, connects within the cluster's {@code connect_timeout}
 * on the downstream's event loop (with the cluster's TLS, if any, done before it counts as
 * connected), and once connected relays bytes both ways unchanged through a
 * {@link ByteTunnel} with the proxy's {@code idle_timeout}. Client bytes that arrive before the
 * upstream is up (the ClientHello) are held and sent first.
 *
 * <p>Failures as Envoy's tcp_proxy: an unknown cluster closes the connection (NC), no host to pick
 * closes it (UH), a full {@code max_connections} closes it (UO; Envoy would queue it within
 * {@code max_pending_requests}, see below), a failed connect is reported to outlier detection
 * (connect failure, or timeout) and tried again on another host until {@code max_connect_attempts}
 * are used (UF, then URX). A connect success is reported as Envoy's
 * {@code LocalOriginConnectSuccessFinal}, which outlier detection counts as a 200.
 */
public final class TcpProxyHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TcpProxyHandler.class);

    private final TcpProxyConfig config;
    private final Supplier<ProxySnapshot> snapshots;
    private final Class<? extends Channel> channelType;
    private final RandomSource random;
    private final TcpSession session;
    private final WorkloadSecrets secrets;
    private final Set<Host> tried = new HashSet<>();
    private @Nullable ByteBuf held;
    private @Nullable Channel connecting;
    private int attempts;
    private boolean relaying;
    private boolean done;
    // Set in handlerAdded, before start().
    @SuppressWarnings("NullAway.Init")
    private ChannelHandlerContext ctx;

    public TcpProxyHandler(
            TcpProxyConfig config,
            Supplier<ProxySnapshot> snapshots,
            Class<? extends Channel> channelType,
            RandomSource random,
            TcpSession session,
            WorkloadSecrets secrets) {
        this.config = config;
        this.secrets = secrets;
        this.snapshots = snapshots;
        this.channelType = channelType;
        this.random = random;
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Picks the cluster and starts the first connect; call once the handler is in the pipeline. */
    public void start() {
        String name = config.pickCluster(random.nextLong(Long.MAX_VALUE));
        session.cluster(name);
        ActiveCluster found = snapshots.get().cluster(name);
        if (found == null) {
            fail(ResponseFlag.NO_CLUSTER, "cluster " + name + " not found");
            return;
        }
        connect(found);
    }

    private void connect(ActiveCluster target) {
        if (attempts >= config.maxConnectAttempts()) {
            // Envoy's upstream_cx_connect_attempts_exceeded: flagged after the last UF.
            fail(ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED, attempts + " connect attempts failed");
            return;
        }
        // The tried hosts are avoided where another choice exists (the load balancer's rule).
        Host host = target.loadBalancer().chooseHost(random.nextLong(Long.MAX_VALUE), tried);
        if (host == null) {
            fail(ResponseFlag.NO_HEALTHY_UPSTREAM, "no healthy host in " + target.name());
            return;
        }
        CircuitBreakers breakers = target.breakers();
        if (!breakers.connections().tryAcquire()) {
            breakers.onOverflow(CircuitBreakers.Resource.CONNECTIONS);
            fail(ResponseFlag.UPSTREAM_OVERFLOW, target.name() + " is at max_connections");
            return;
        }
        attempts++;
        tried.add(host);
        session.host(host.spec());
        UpstreamTls tls = target.transportFor(host.spec());
        SslContext ssl = tls == null ? null : UpstreamTlsContexts.resolve(tls, secrets);
        if (tls != null && ssl == null) {
            breakers.connections().release();
            // No workload certificate yet: the TLS connect cannot succeed (Envoy's UF, no outlier report).
            session.flag(ResponseFlag.UPSTREAM_CONNECT_FAILURE);
            fail(
                    ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED,
                    String.valueOf(UpstreamTlsContexts.notReady().getMessage()));
            return;
        }
        InetAddress ip =
                NetUtil.createInetAddressFromIpAddressString(host.spec().address());
        Channel downstream = ctx.channel();
        ChannelFuture connect = new Bootstrap()
                .group(downstream.eventLoop())
                .channel(channelType)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(
                        Integer.MAX_VALUE, target.config().connectTimeout().toMillis()))
                // TLS origination when the cluster (or the host's socket match) has it; the
                // tunnel's relay goes behind it once connected. Nothing is read before.
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (ssl != null && tls != null) {
                            ch.pipeline()
                                    .addLast(UpstreamTlsContexts.newHandler(
                                            ssl, tls, ch, host.spec().port()));
                        }
                    }
                })
                .connect(
                        ip == null
                                ? InetSocketAddress.createUnresolved(
                                        host.spec().address(), host.spec().port())
                                : new InetSocketAddress(ip, host.spec().port()));
        Channel upstream = connect.channel();
        connecting = upstream;
        // The slot is held for as long as the upstream socket exists, connected or not.
        upstream.closeFuture().addListener(f -> breakers.connections().release());
        connect.addListener((ChannelFutureListener) f -> {
            SslHandler handshake = f.isSuccess() ? f.channel().pipeline().get(SslHandler.class) : null;
            if (handshake == null) {
                onConnect(f, target, host);
            } else {
                // As Envoy's pools, a TLS upstream is connected once its handshake is done.
                handshake.handshakeFuture().addListener(h -> onConnect(h, target, host));
            }
        });
    }

    private void onConnect(Future<?> future, ActiveCluster target, Host host) {
        Channel upstream = Objects.requireNonNull(connecting, "connecting");
        connecting = null;
        if (done) {
            upstream.close();
            return;
        }
        if (!future.isSuccess()) {
            upstream.close();
            LocalOriginFailure kind = future.cause() instanceof ConnectTimeoutException
                    ? LocalOriginFailure.TIMEOUT
                    : LocalOriginFailure.CONNECT_FAILED;
            target.loadBalancer().onLocalOriginFailure(host, kind);
            session.flag(ResponseFlag.UPSTREAM_CONNECT_FAILURE);
            log.debug(
                    "tcp_proxy {}: connect to {} failed: {}",
                    config.statPrefix(),
                    host.spec().key(),
                    future.cause());
            connect(target);
            return;
        }
        target.loadBalancer().onResponse(host, 200);
        host.onRequestStart();
        upstream.closeFuture().addListener(f -> host.onRequestEnd());
        relaying = true;
        Channel downstream = ctx.channel();
        session.onConnected(downstream);
        ByteTunnel tunnel = ByteTunnel.open(downstream, upstream, config.idleTimeout());
        // In front of the relay, so that it sees every byte either way.
        downstream.pipeline().addFirst("tcp-bytes", session.byteCounter());
        ByteBuf first = held;
        held = null;
        if (first != null) {
            session.received(first.readableBytes());
            tunnel.fromClient(first);
        }
    }

    private void fail(ResponseFlag flag, String why) {
        session.flag(flag);
        log.debug(
                "tcp_proxy {}: closing {}: {}",
                config.statPrefix(),
                ctx.channel().remoteAddress(),
                why);
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (relaying || done || !(msg instanceof ByteBuf bytes)) {
            // Once relaying, the tunnel's relay in front consumes every byte; nothing else is expected.
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf before = held;
        held = before == null ? bytes : Unpooled.wrappedBuffer(before, bytes);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Auto-read is off and nothing more is read until the tunnel relays.
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done = true;
        ByteBuf pending = held;
        held = null;
        if (pending != null) {
            pending.release();
        }
        Channel upstream = connecting;
        if (upstream != null) {
            // The client left while connecting: abandon the connect, no outlier report.
            upstream.close();
        }
        session.onClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug(
                "tcp_proxy {}: downstream {} failed: {}",
                config.statPrefix(),
                ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
