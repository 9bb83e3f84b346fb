package io.zonemesh.controlplane;

import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Scheduler;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.registry.MeshRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The zonemesh control plane: an ADS server (xDS v3, state of the world) on
 * java-control-plane, fed by a {@link MeshRegistry} through a debounced push loop, plus the
 * HTTP status port. All generation runs on one push thread, so generators need no locks.
 */
public final class ControlPlane implements AutoCloseable {
    /** Istio's {@code PILOT_DEBOUNCE_AFTER} and {@code PILOT_DEBOUNCE_MAX}. */
    public static final Duration DEBOUNCE_AFTER = Duration.ofMillis(100);
    public static final Duration DEBOUNCE_MAX = Duration.ofSeconds(10);

    private final Server grpc;
    private final DebugServer debug;
    private final ScheduledExecutorService pushThread;
    private final ProxyTracker tracker;
    private final XdsPusher pusher;
    private final XdsSnapshotFactory factory;
    private final SendExecutors senders;

    private ControlPlane(Builder b) throws IOException {
        this.pushThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "zonemesh-push");
            t.setDaemon(true);
            return t;
        });
        XdsCache cache = new XdsCache();
        this.senders = new SendExecutors(Math.max(2, Runtime.getRuntime().availableProcessors()));
        XdsSnapshotFactory factory = new XdsSnapshotFactory(b.registry, senders.pool());
        this.factory = factory;
        // The tracker learns of new proxies on gRPC threads; generation happens on the push thread.
        this.tracker = new ProxyTracker(b.clock, node -> pushThread.execute(() -> pushNewProxy(node)), cache::remove);
        this.pusher = new XdsPusher(cache, factory, tracker::connectedNodes, b.registry.state(), b.clock);
        Debouncer<MeshState> debouncer = new Debouncer<>(b.clock, Scheduler.of(pushThread), b.debounceAfter,
                DEBOUNCE_MAX, pusher::pushAll);
        b.registry.addListener(state -> pushThread.execute(() -> debouncer.submit(state)));

        // The identity-keyed serializer packs each shared group resource into an Any once, not once
        // per proxy (BENCHMARKS.md); responses are written by the send pool, not by the push thread.
        V3DiscoveryServer discovery = new V3DiscoveryServer(List.of(tracker), cache, senders,
                new IdentityAnySerializer());
        this.grpc = NettyServerBuilder.forAddress(b.xdsAddress)
                .addService(new NodeRememberingAds(discovery.getAggregatedDiscoveryServiceImpl(), tracker))
                .keepAliveTime(30, TimeUnit.SECONDS)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .build()
                .start();
        this.debug = new DebugServer(b.debugAddress, tracker::views, this::meshSummary);
    }

    /** A method, not a lambda over the field: the tracker is built before the pusher it calls. */
    private void pushNewProxy(Node node) {
        pusher.push(node);
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

    /** Per-proxy sync status, as {@code /debug/syncz} shows it. */
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
        return pusher.pushedVersion() >= version && senders.pending() == 0
                && tracker.connectedCount() >= expectedProxies && tracker.allConnectedSynced();
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
            services.put(svc.hostname(), s.endpointsByHost().getOrDefault(svc.hostname(), List.of()).size());
        }
        out.put("services", services);
        out.put("workloads", s.workloads().size());
        out.put("warnings", factory.warnings());
        return out;
    }

    @Override
    public void close() {
        debug.close();
        grpc.shutdownNow();
        pushThread.shutdownNow();
        senders.close();
        try {
            grpc.awaitTermination(5, TimeUnit.SECONDS);
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

        public ControlPlane start() throws IOException {
            return new ControlPlane(this);
        }
    }
}
