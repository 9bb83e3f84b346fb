package io.zonemesh.proxy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.FunctionCounter;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.Scheduler;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.accesslog.AccessLogEntry;
import io.zonemesh.proxy.accesslog.AccessLogWriter;
import io.zonemesh.proxy.admin.AdminContext;
import io.zonemesh.proxy.admin.AdminServer;
import io.zonemesh.proxy.capture.CaptureListeners;
import io.zonemesh.proxy.capture.CaptureMode;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.config.TlsChain;
import io.zonemesh.proxy.http.AccessLog;
import io.zonemesh.proxy.http.ConnectionPools;
import io.zonemesh.proxy.http.DrainState;
import io.zonemesh.proxy.http.ListenerContext;
import io.zonemesh.proxy.http.PoolKey;
import io.zonemesh.proxy.http.ProxyListener;
import io.zonemesh.proxy.http.RequestObserver;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.identity.CaClient;
import io.zonemesh.proxy.identity.CaClientOptions;
import io.zonemesh.proxy.identity.JdkTlsSettings;
import io.zonemesh.proxy.identity.WorkloadSecrets;
import io.zonemesh.proxy.metrics.ProxyMetrics;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.snapshot.ClusterManager;
import io.zonemesh.proxy.snapshot.DnsResolver;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import io.zonemesh.proxy.snapshot.SnapshotPublisher;
import io.zonemesh.proxy.tcp.TcpConnections;
import io.zonemesh.proxy.xds.ProxyType;
import io.zonemesh.proxy.xds.ReconnectBackoff;
import io.zonemesh.proxy.xds.XdsClient;
import io.zonemesh.proxy.xds.XdsStatus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zonemesh data plane: an HTTP/1.1 proxy configured only through xDS. {@link #start()}
 * binds the outbound, inbound and admin sockets first (so callers learn the ports before any
 * configuration arrives; requests until then get 404 NR) and then opens the ADS stream.
 * {@link #close()} drains and releases everything within the shutdown timeout.
 *
 * <p>Embedded by the CLI ({@code zonemesh proxy}) and the local-mesh runner; a runner with many
 * proxies passes one shared {@link EventLoopGroup}, which the proxy then never shuts down.
 */
public final class ZonemeshProxy implements AutoCloseable {
    /** The xDS listener served on the outbound socket (XDS_SHAPES.md). */
    public static final String OUTBOUND_LISTENER = "virtualOutbound";
    /** The xDS listener served on the inbound socket. */
    public static final String INBOUND_LISTENER = "virtualInbound";

    private static final Logger log = LoggerFactory.getLogger(ZonemeshProxy.class);

    static {
        // Before any of the proxy's TLS servers starts: they must accept Istio's SNI names.
        JdkTlsSettings.apply();
    }

    private static final int MAX_XDS_MESSAGE_BYTES = 64 * 1024 * 1024;

    private enum State {
        NEW,
        STARTED,
        CLOSED
    }

    private final ProxyOptions options;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ScheduledExecutorService xdsExecutor;
    /** Timers on the xDS executor: outlier sweeps, DNS refresh, xDS reconnect backoff. */
    private final Scheduler scheduler;

    private final ExecutorService dnsExecutor;
    private final Transport transport;
    private final ConnectionPools pools;
    private final ProxyMetrics metrics;
    /** Writes every listener's access-log lines from its own thread. */
    private final AccessLogWriter accessLogWriter;

    private final SnapshotPublisher publisher;
    private final ProxyListener outbound;
    private final GatewayListeners gateways;
    private final @Nullable ProxyListener inbound;
    private final AdminServer admin;
    private final EventLoopWatchdog watchdog;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile @Nullable ManagedChannel xdsChannel;
    private volatile @Nullable XdsClient xdsClient;
    private volatile @Nullable CaClient caClient;

    ZonemeshProxy(ProxyOptions options) {
        this.options = options;
        EventLoopGroup given = options.eventLoopGroup();
        this.ownsGroup = given == null;
        this.group = given == null
                ? Transport.preferred().newGroup(options.ioThreads(), new DefaultThreadFactory("zonemesh-proxy"))
                : given;
        this.transport = Transport.of(group);
        this.watchdog = new EventLoopWatchdog(group);
        this.pools = new ConnectionPools(transport.channelType(), options.workloadSecrets());
        this.xdsExecutor = xdsExecutor(options.node().id());
        // DNS lookups block: they get a thread of their own, never an event loop or the xDS thread.
        this.dnsExecutor = Executors.newSingleThreadExecutor(
                new DefaultThreadFactory("zonemesh-dns-" + options.node().id(), true));
        this.metrics = new ProxyMetrics(options.clock(), options.node());
        this.scheduler = Scheduler.of(xdsExecutor);
        ClusterManager clusters = new ClusterManager(
                options.loadBalancerFactory(),
                options.clock(),
                options.random(),
                scheduler,
                metrics,
                options.node().locality());
        this.publisher = new SnapshotPublisher(
                clusters, new DnsResolver(options.dnsLookup(), dnsExecutor, xdsExecutor, scheduler));
        publisher.subscribe(this::retainPools);
        this.accessLogWriter = new AccessLogWriter(
                AccessLogWriter.DEFAULT_CAPACITY,
                "zonemesh-access-log-" + options.node().id());
        // Lines the full queue turned away: the disk did not keep up (the writer never blocks a loop).
        FunctionCounter.builder("zonemesh.access_log.dropped", accessLogWriter, AccessLogWriter::dropped)
                .description("Access-log lines dropped because the writer's queue was full or the file failed")
                .register(metrics.registry());
        AccessLog accessLog = new AccessLog(publisher::current, accessLogWriter);
        RequestObserver observer = new RequestObserver() {
            @Override
            public void onRequestComplete(RequestRecord record) {
                metrics.onRequestComplete(record);
                options.requestObserver().onRequestComplete(record);
            }

            @Override
            public void onRequestComplete(RequestRecord record, Supplier<AccessLogEntry> entry) {
                onRequestComplete(record);
                accessLog.onRequestComplete(record, entry);
            }
        };
        this.outbound = listener(OUTBOUND_LISTENER, Direction.OUTBOUND, observer);
        this.inbound =
                options.inboundAddress() == null && options.inboundAddresses().isEmpty()
                        ? null
                        : listener(INBOUND_LISTENER, Direction.INBOUND, observer);
        this.gateways = new GatewayListeners(
                config -> {
                    ProxyListener gateway = listener(config.name(), Direction.OUTBOUND, observer, config.tlsChains());
                    // A gateway listener may be served by tcp_proxy chains (AUTO_PASSTHROUGH on 15443).
                    gateway.serveTcp(new TcpConnections(
                            config.name(),
                            Direction.OUTBOUND,
                            publisher::current,
                            transport.channelType(),
                            options.random(),
                            metrics.tcpObserver(),
                            options.workloadSecrets()));
                    return gateway;
                },
                options.gatewayAddresses());
        if (options.node().proxyType() == ProxyType.ROUTER) {
            publisher.subscribe(gateways::sync);
        }
        this.admin = new AdminServer(
                new AdminContext(
                        publisher::current,
                        this::xdsStatus,
                        pools,
                        metrics,
                        this::drainListeners,
                        this::listenerAddresses,
                        watchdog::failure,
                        options.workloadSecrets()::current,
                        options.clock(),
                        this::certificateReady),
                group,
                transport.serverChannelType());
    }

    /**
     * The serial executor of xDS handling, load-balancer timers and DNS refreshes. Timers still
     * pending at shutdown are dropped rather than waited for (an outlier sweep may be 10s away).
     */
    private static ScheduledExecutorService xdsExecutor(String nodeId) {
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("zonemesh-xds-" + nodeId, true));
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** The socket transport of this proxy's listeners and upstream connections. */
    public Transport transport() {
        return transport;
    }

    /** A builder; the xDS server address and the node identity are required. */
    public static ProxyOptions.Builder builder() {
        return new ProxyOptions.Builder();
    }

    private ProxyListener listener(String name, Direction direction, RequestObserver observer) {
        return listener(name, direction, observer, List.of());
    }

    private ProxyListener listener(
            String name, Direction direction, RequestObserver observer, List<TlsChain> tlsChains) {
        ListenerContext context = new ListenerContext(
                        name,
                        direction,
                        publisher::current,
                        pools,
                        observer,
                        options.clock(),
                        options.random(),
                        new DrainState())
                .withStreamIdleTimeout(options.streamIdleTimeout());
        ProxyListener listener =
                new ProxyListener(context, group, transport.serverChannelType(), options.downstreamLimits(), tlsChains);
        metrics.onListenerAdded(listener);
        return listener;
    }

    /**
     * Binds the sockets, then connects to the xDS server; returns once the sockets are bound.
     * Call from a thread that is not an event loop (binding waits).
     *
     * @throws IllegalStateException when called twice or after {@link #close()}, or when a
     *     socket cannot be bound (the proxy is then closed)
     */
    public ZonemeshProxy start() {
        if (!state.compareAndSet(State.NEW, State.STARTED)) {
            throw new IllegalStateException("state: " + state.get() + " (expected: NEW)");
        }
        try {
            // In start(), not the constructor, so that a capture that cannot work (no epoll)
            // releases the event loops like any other failed start.
            CaptureMode capture = options.captureMode();
            if (capture != null) {
                CaptureListeners.install(
                        capture,
                        transport,
                        outbound,
                        () -> publisher.current().routeTable(OUTBOUND_LISTENER),
                        Direction.OUTBOUND,
                        metrics.tcpObserver());
                if (inbound != null) {
                    CaptureListeners.install(
                            capture,
                            transport,
                            inbound,
                            () -> publisher.current().routeTable(INBOUND_LISTENER),
                            Direction.INBOUND,
                            metrics.tcpObserver());
                }
            }
            outbound.bind(options.outboundAddress());
            if (inbound != null) {
                InetSocketAddress single = options.inboundAddress();
                if (single != null) {
                    inbound.bind(single);
                }
                // Sorted, so that the first socket (inboundPort()) is the lowest application port's.
                for (Map.Entry<Integer, InetSocketAddress> app : new TreeMap<>(options.inboundAddresses()).entrySet()) {
                    inbound.bind(app.getValue(), app.getKey());
                }
            }
            admin.bind(options.adminAddress());
            CaClientOptions ca = options.ca();
            if (ca != null) {
                // Before xDS: the first mTLS connections wait for nothing but the CA's answer.
                caClient = CaClient.start(ca, options.workloadSecrets(), options.clock(), scheduler, options.random());
            }
            ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                            options.xdsHost(), options.xdsPort(), InsecureChannelCredentials.create())
                    .maxInboundMessageSize(MAX_XDS_MESSAGE_BYTES)
                    .userAgent("zonemesh-proxy")
                    .build();
            xdsChannel = channel;
            XdsClient client = new XdsClient(
                    channel,
                    options.node().toNode(),
                    xdsExecutor,
                    scheduler,
                    new ReconnectBackoff(options.xdsBackoffBase(), options.xdsBackoffMax(), options.random()),
                    options.clock(),
                    publisher);
            xdsClient = client;
            client.start();
            log.info(
                    "proxy {} listening: outbound {}, inbound {}, admin {}; xDS {}:{}; transport {}",
                    options.node().id(),
                    outboundPort(),
                    inboundPort(),
                    adminPort(),
                    options.xdsHost(),
                    options.xdsPort(),
                    transport);
            return this;
        } catch (Exception e) {
            // Netty rethrows a failed bind's exception unchecked-style (BindException on NIO, a
            // NativeIoException on epoll, reported as a BindException); release the threads and
            // sockets taken so far whatever the failure was.
            close();
            Exception failure = Transport.asBindException(e);
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("proxy " + options.node().id() + " failed to start: " + failure, failure);
        }
    }

    /** The bound outbound port (the application's {@code http_proxy}). */
    public int outboundPort() {
        return outbound.port();
    }

    /** The bound inbound port, or -1 without an inbound listener. */
    public int inboundPort() {
        return inbound == null ? -1 : inbound.port();
    }

    /** The inbound port bound for {@code appPort} ({@link ProxyOptions#inboundAddresses()}), or -1. */
    public int inboundPort(int appPort) {
        return inbound == null ? -1 : inbound.port(appPort);
    }

    /** What the proxy serves as SDS {@code default} and {@code ROOTCA}. */
    public WorkloadSecrets workloadSecrets() {
        return options.workloadSecrets();
    }

    public int adminPort() {
        return admin.port();
    }

    /** The admin socket's event loop (tests: which loop may die without taking the admin port). */
    io.netty.channel.@Nullable EventLoop adminEventLoop() {
        return admin.eventLoop();
    }

    /** Connections the outbound listener holds now. */
    int outboundConnectionCount() {
        return outbound.connectionCount();
    }

    /**
     * Every bound listener by its xDS name with its local address: virtualOutbound,
     * virtualInbound, and a gateway's listeners from xDS (bound as their configuration arrives).
     */
    public Map<String, InetSocketAddress> listenerAddresses() {
        Map<String, InetSocketAddress> out = new TreeMap<>(gateways.addresses());
        if (outbound.port() >= 0) {
            out.put(
                    OUTBOUND_LISTENER,
                    new InetSocketAddress(options.outboundAddress().getAddress(), outbound.port()));
        }
        if (inbound != null && inbound.port() >= 0) {
            InetSocketAddress configured = options.inboundAddress() != null
                    ? options.inboundAddress()
                    : new TreeMap<>(options.inboundAddresses()).firstEntry().getValue();
            out.put(INBOUND_LISTENER, new InetSocketAddress(configured.getAddress(), inbound.port()));
        }
        return out;
    }

    /** The bound port of a gateway listener from xDS, or -1 while it is not bound. */
    public int listenerPort(String name) {
        InetSocketAddress address = gateways.address(name);
        return address == null ? -1 : address.getPort();
    }

    /** The configuration in force. */
    public ProxySnapshot snapshot() {
        return publisher.current();
    }

    /**
     * Whether the first full configuration has been applied, every event loop still runs and,
     * with a CA client, the first workload certificate arrived ({@code /ready} answers LIVE).
     */
    public boolean ready() {
        return publisher.current().ready() && watchdog.failure() == null && certificateReady();
    }

    /**
     * With a CA client, whether the first workload certificate arrived: Istio's SDS references
     * have {@code initial_fetch_timeout: 0s}, so Envoy keeps the listeners and clusters that use
     * them warming (not ready) until the secret comes; without a CA there is nothing to wait for.
     */
    private boolean certificateReady() {
        return options.ca() == null || options.workloadSecrets().current() != null;
    }

    /** The ADS stream state; empty before {@link #start()}. */
    public @Nullable XdsStatus xdsStatus() {
        XdsClient client = xdsClient;
        return client == null ? null : client.status();
    }

    /** The metrics registry, for embedding runners that aggregate several proxies. */
    public ProxyMetrics metrics() {
        return metrics;
    }

    /**
     * Drains listeners as Envoy's {@code POST /drain_listeners}: responses carry
     * {@code Connection: close}, idle connections close, and the sockets stop accepting, at once
     * or, with {@code graceful}, after the drain time. Never blocks.
     */
    public void drainListeners(boolean graceful, boolean inboundOnly) {
        List<ProxyListener> targets = new ArrayList<>();
        if (!inboundOnly) {
            targets.add(outbound);
            targets.addAll(gateways.listeners());
        }
        if (inbound != null) {
            targets.add(inbound);
        }
        targets.forEach(ProxyListener::drain);
        Runnable stop = () -> targets.stream().filter(ProxyListener::accepting).forEach(ProxyListener::stopAccepting);
        if (graceful) {
            xdsExecutor.schedule(stop, options.drainTime().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            stop.run();
        }
    }

    /**
     * Stops xDS, stops accepting, lets requests in flight finish (responses close their
     * connections) for up to the shutdown timeout, then closes everything. Call from a thread
     * that is not one of the proxy's event loops; calling twice is harmless. On epoll the ports
     * are free when this returns; on NIO the JDK frees a listening port at its event loop's next
     * select, moments later.
     */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        watchdog.stop();
        Clock clock = options.clock();
        long deadline = clock.nanoTime() + options.shutdownTimeout().toNanos();
        XdsClient client = xdsClient;
        if (client != null) {
            client.close();
        }
        CaClient ca = caClient;
        if (ca != null) {
            ca.close();
        }
        List<ProxyListener> listeners = new ArrayList<>(gateways.close());
        listeners.add(outbound);
        if (inbound != null) {
            listeners.add(inbound);
        }
        for (ProxyListener listener : listeners) {
            if (listener.accepting()) {
                listener.stopAccepting().awaitUninterruptibly(remaining(deadline));
            }
            listener.drain();
        }
        for (ProxyListener listener : listeners) {
            if (!listener.awaitConnectionsClosed(Duration.ofNanos(Math.max(0, deadline - clock.nanoTime())), clock)) {
                log.warn(
                        "listener {}: closing {} connections still busy at shutdown",
                        listener.name(),
                        listener.connectionCount());
            }
            listener.closeConnections();
        }
        admin.close();
        accessLogWriter.close();
        for (Future<?> done : pools.closeAll()) {
            done.awaitUninterruptibly(remaining(deadline));
        }
        shutdownXds(deadline);
        if (ownsGroup) {
            group.shutdownGracefully(0, remaining(deadline), TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(remaining(deadline) + 100);
        }
    }

    private void shutdownXds(long deadline) {
        try {
            xdsExecutor.execute(publisher::shutdown);
        } catch (RejectedExecutionException e) {
            log.debug("xDS executor already stopped", e);
        }
        xdsExecutor.shutdown();
        dnsExecutor.shutdownNow();
        ManagedChannel channel = xdsChannel;
        if (channel != null) {
            channel.shutdownNow();
        }
        try {
            if (!xdsExecutor.awaitTermination(remaining(deadline), TimeUnit.MILLISECONDS)) {
                xdsExecutor.shutdownNow();
            }
            if (channel != null) {
                channel.awaitTermination(remaining(deadline), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Milliseconds left until {@code deadline}, at least 1 so that awaits still poll once. */
    private long remaining(long deadline) {
        return Math.max(
                1, TimeUnit.NANOSECONDS.toMillis(deadline - options.clock().nanoTime()));
    }

    /** Idle upstream connections to hosts that left every cluster are closed. */
    private void retainPools(ProxySnapshot snapshot) {
        Set<PoolKey> live = new HashSet<>();
        for (ActiveCluster cluster : snapshot.clusters().values()) {
            for (HostSpec host : cluster.hosts()) {
                live.add(PoolKey.of(cluster, host));
            }
        }
        pools.retain(live);
    }
}
