package io.zonemesh.controlplane;

import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.Scheduler;
import io.zonemesh.controlplane.ca.CaHolder;
import io.zonemesh.controlplane.ca.ServingCertificate;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.security.ca.Authenticator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zonemesh control plane: an ADS server (xDS v3, state of the world) on
 * java-control-plane, fed by a {@link MeshRegistry} through a debounced push loop, plus the
 * HTTP status port. All generation runs on one push thread, so generators need no locks.
 *
 * <p>With a CA ({@link Builder#tls}) it also serves, as istiod's 15012, a TLS gRPC port with
 * Istio's certificate service and the same ADS; the plaintext port stays xDS only (istiod's
 * 15010 serves no CA either: a CSR's bearer token must not travel in clear).
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    /** Istio's {@code PILOT_DEBOUNCE_AFTER} and {@code PILOT_DEBOUNCE_MAX}. */
    public static final Duration DEBOUNCE_AFTER = Duration.ofMillis(100);

    public static final Duration DEBOUNCE_MAX = Duration.ofSeconds(10);

    private final Server grpc;
    private final @Nullable SecurePort secure;
    private final DebugServer debug;
    private final ScheduledExecutorService pushThread;
    private final ProxyTracker tracker;
    private final XdsPusher pusher;
    private final XdsSnapshotFactory factory;
    private final SendExecutors senders;
    private final MeshRegistry registry;
    private final Consumer<MeshState> registryListener;
    private final java.util.function.BooleanSupplier readiness;
    private final Map<String, java.util.function.Supplier<Object>> debugPages;

    /**
     * Starts everything or nothing: when a step fails (a port in use), what the earlier steps
     * started is stopped again before the exception leaves, so a failed start leaks no thread,
     * port or registry listener.
     */
    private ControlPlane(Builder b) throws IOException {
        this.registry = b.registry;
        this.readiness = b.ready;
        this.debugPages = Map.copyOf(b.debugPages);
        this.pushThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "zonemesh-push");
            t.setDaemon(true);
            return t;
        });
        XdsCache cache = new XdsCache();
        this.senders = new SendExecutors(Math.max(2, Runtime.getRuntime().availableProcessors()));
        XdsSnapshotFactory factory = new XdsSnapshotFactory(b.registry, senders.pool());
        this.factory = factory;
        // The tracker learns of connections on gRPC threads; generation happens on the push thread,
        // and so does forgetting a closed connection's config: a push that read the connection
        // before it closed runs before the removal, and none after it sees the connection.
        this.tracker = new ProxyTracker(
                b.clock, c -> onPushThread(() -> pushNewConnection(c)), id -> onPushThread(() -> cache.remove(id)));
        this.pusher = new XdsPusher(cache, factory, tracker::connections, b.registry.state(), b.clock);
        Debouncer<MeshState> debouncer =
                new Debouncer<>(b.clock, Scheduler.of(pushThread), b.debounceAfter, DEBOUNCE_MAX, pusher::pushAll);
        this.registryListener = state -> onPushThread(() -> debouncer.submit(state));
        b.registry.addListener(registryListener);

        Server started = null;
        SecurePort secureStarted = null;
        try {
            // The identity-keyed serializer packs each shared group resource into an Any once, not
            // once per proxy (BENCHMARKS.md); responses are written by the send pool, not the push thread.
            V3DiscoveryServer discovery =
                    new V3DiscoveryServer(List.of(tracker), cache, senders, new IdentityAnySerializer());
            // One ADS implementation behind both ports: a proxy's connection is tracked the same
            // whichever port it came in on.
            BindableService ads = new ConnectionScopedAds(
                    discovery.getAggregatedDiscoveryServiceImpl(), tracker, new NodeValidator(b.registry));
            started = NettyServerBuilder.forAddress(b.xdsAddress)
                    .addService(ads)
                    .keepAliveTime(30, TimeUnit.SECONDS)
                    .permitKeepAliveTime(10, TimeUnit.SECONDS)
                    .build()
                    .start();
            if (b.tls != null) {
                secureStarted = SecurePort.start(b.tls, ads, b.clock, b.servingTtl, b.secureRandom);
            }
            this.grpc = started;
            this.secure = secureStarted;
            this.debug = startDebugServer(b.debugAddress);
            debug.addHandler("/debug/explain", new ExplainHandler(pusher::state, tracker::connections));
        } catch (IOException | RuntimeException | Error e) {
            if (secureStarted != null) {
                secureStarted.close();
            }
            stop(started, null);
            throw e;
        }
    }

    private DebugServer startDebugServer(InetSocketAddress address) throws IOException {
        try {
            return new DebugServer(address, tracker::views, this::meshSummary, readiness, debugPages, this::metrics);
        } catch (IOException e) {
            throw new IOException("control plane status port " + address + ": " + e.getMessage(), e);
        }
    }

    /** A method, not a lambda over the field: the tracker is built before the pusher it calls. */
    private void pushNewConnection(AdsConnection connection) {
        pusher.push(connection);
    }

    /** Streams may open or close while the control plane shuts down; their work is then moot. */
    private void onPushThread(Runnable task) {
        try {
            pushThread.execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            log.debug("push thread stopped; dropped a connection event", shuttingDown);
        }
    }

    public static Builder builder(MeshRegistry registry) {
        return new Builder(registry);
    }

    /** The ADS port (bound; 0 in the builder picks a free one). */
    public int xdsPort() {
        return grpc.getPort();
    }

    public int debugPort() {
        return debug.port();
    }

    /** The TLS port serving the certificate service and ADS (bound), or -1 without a CA. */
    public int xdsTlsPort() {
        return secure == null ? -1 : secure.port();
    }

    /** The certificate the TLS port presents now, or null without a CA. */
    public @Nullable ServingCertificate servingCertificate() {
        return secure == null ? null : secure.serving();
    }

    /**
     * Per-connection sync status, as {@code /debug/syncz} shows it: every live ADS connection
     * (two for a node id two streams claim) and the last one of each proxy now disconnected.
     */
    public List<Map<String, Object>> syncStatus() {
        return tracker.views();
    }

    /**
     * Whether mesh version {@code version} (or a later one) has been pushed and every connected
     * proxy has ACKed all it was sent; with {@code expectedProxies}, also that that many are
     * connected. What {@code zonemesh up} and the demos wait for before sending traffic.
     */
    public boolean converged(long version, int expectedProxies) {
        // Read the pushed version first: the push hands every response to the senders before it
        // moves the version on, so "no response pending" after it means all of them were written.
        return pusher.pushedVersion() >= version
                && senders.pending() == 0
                && tracker.connectedCount() >= expectedProxies
                && tracker.allConnectedSynced();
    }

    /** Total NACKs received from all proxies. */
    public long rejects() {
        return tracker.totalRejects();
    }

    private Object meshSummary() {
        MeshState s = pusher.state();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", s.version());
        out.put("pushes", pusher.pushes());
        Map<String, Object> services = new LinkedHashMap<>();
        for (Service svc : s.services()) {
            services.put(
                    svc.hostname(),
                    s.endpointsByHost().getOrDefault(svc.hostname(), List.of()).size());
        }
        out.put("services", services);
        out.put("workloads", s.workloads().size());
        out.put("warnings", factory.warnings());
        return out;
    }

    /** Prometheus text for {@code /metrics}: istiod's names where one exists. */
    private String metrics() {
        return "# TYPE pilot_xds gauge\npilot_xds " + tracker.connectedCount() + "\n"
                + "# TYPE pilot_xds_pushes counter\npilot_xds_pushes " + pusher.pushes() + "\n"
                + "# TYPE pilot_total_xds_rejects counter\npilot_total_xds_rejects " + tracker.totalRejects() + "\n"
                + "# TYPE zonemesh_mesh_version gauge\nzonemesh_mesh_version "
                + pusher.state().version() + "\n";
    }

    @Override
    public void close() {
        if (secure != null) {
            secure.close();
        }
        stop(grpc, debug);
    }

    /** Stops what was started, in reverse order; either server may be null (a failed start). */
    private void stop(@Nullable Server xds, @Nullable DebugServer status) {
        registry.removeListener(registryListener);
        if (status != null) {
            status.close();
        }
        if (xds != null) {
            xds.shutdownNow();
        }
        pushThread.shutdownNow();
        senders.close();
        try {
            if (xds != null) {
                xds.awaitTermination(5, TimeUnit.SECONDS);
            }
            pushThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builder; addresses default to Istio's ports on loopback. */
    public static final class Builder {
        private final MeshRegistry registry;
        private InetSocketAddress xdsAddress = new InetSocketAddress("127.0.0.1", 15010);
        private InetSocketAddress debugAddress = new InetSocketAddress("127.0.0.1", 15014);
        private Clock clock = Clock.system();
        private Duration debounceAfter = DEBOUNCE_AFTER;
        private java.util.function.BooleanSupplier ready = () -> true;
        private final Map<String, java.util.function.Supplier<Object>> debugPages = new LinkedHashMap<>();
        private SecurePort.@Nullable Options tls;
        private Duration servingTtl = ServingCertificate.DEFAULT_TTL;
        private SecureRandom secureRandom = new SecureRandom();

        private Builder(MeshRegistry registry) {
            this.registry = registry;
        }

        public Builder xdsAddress(InetSocketAddress a) {
            this.xdsAddress = a;
            return this;
        }

        public Builder debugAddress(InetSocketAddress a) {
            this.debugAddress = a;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public Builder debounceAfter(Duration d) {
            this.debounceAfter = d;
            return this;
        }

        /** What {@code /ready} reports (default: always ready); a Kubernetes source is ready once synced. */
        public Builder ready(java.util.function.BooleanSupplier r) {
            this.ready = r;
            return this;
        }

        /** Adds a JSON page to the status port, e.g. the Kubernetes source's {@code /debug/configz}. */
        public Builder debugPage(String path, java.util.function.Supplier<Object> page) {
            this.debugPages.put(path, page);
            return this;
        }

        /**
         * Serves the CA: Istio's certificate service and ADS over TLS on {@code address} (istiod's
         * 15012), signing for the identities {@code authenticator} vouches for, with the CA that
         * {@code ca} holds at the time of each request.
         */
        public Builder tls(InetSocketAddress address, CaHolder ca, Authenticator authenticator) {
            this.tls = new SecurePort.Options(address, ca, authenticator);
            return this;
        }

        /** Lifetime of the TLS port's own certificate (default 24 h); it is renewed at half of it. */
        public Builder servingCertificateTtl(Duration ttl) {
            this.servingTtl = ttl;
            return this;
        }

        /** Source of the TLS port's key material (default a new {@link SecureRandom}). */
        public Builder secureRandom(SecureRandom random) {
            this.secureRandom = random;
            return this;
        }

        public ControlPlane start() throws IOException {
            return new ControlPlane(this);
        }
    }
}
