package io.zonemesh.proxy;

import io.netty.channel.EventLoopGroup;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.proxy.capture.CaptureMode;
import io.zonemesh.proxy.http.DownstreamLimits;
import io.zonemesh.proxy.identity.CaClientOptions;
import io.zonemesh.proxy.identity.WorkloadSecrets;
import io.zonemesh.proxy.http.ListenerContext;
import io.zonemesh.proxy.http.RequestObserver;
import io.zonemesh.proxy.snapshot.DnsResolver;
import io.zonemesh.proxy.snapshot.LoadBalancerFactory;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ReconnectBackoff;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The validated settings of a {@link ZonemeshProxy}; build one with {@link ZonemeshProxy#builder()}.
 *
 * @param inboundAddress null for a proxy without an inbound listener (a gateway, or an
 *     application that is only a client)
 * @param eventLoopGroup a shared NIO or epoll group ({@link Transport}), or null for the proxy to
 *     create (and later shut down) its own on {@link Transport#preferred()} with {@code ioThreads}
 *     threads (0: Netty's default)
 * @param random must be thread-safe; every event loop draws from it
 * @param requestHeadersTimeout Envoy's HCM {@code request_headers_timeout} for every listener
 *     (default 10s, against slowloris; Envoy's own default is off), armed from accept so that a
 *     connection that never sends a byte is closed too; zero disables it
 * @param idleTimeout Envoy's HCM {@code idle_timeout}: a downstream HTTP/1.1 connection without a
 *     request for this long is closed (default 1h, Envoy's and Istio's, matching the 1h idle
 *     timeout of the upstream pools of peer proxies so that they do not reuse connections this
 *     side just closed); zero disables it
 * @param maxConnectionsPerListener connections each listener holds at once; more get 503 "envoy
 *     overloaded" and are closed. Default: one per 16 KiB of the JVM's maximum heap, from 1,024
 *     to 10,000 (4,096 with the launcher's 64 MB), about ten times what an idle connection costs
 *     (~1.7 KB measured, issue 8) so that both listeners full still leave the heap to the traffic
 * @param streamIdleTimeout Envoy's HCM {@code stream_idle_timeout} for every listener (default
 *     5 min as Envoy's and Istio's): a request that sees no activity that long is answered 504
 *     with flag SI (reset if its response started); zero disables it
 * @param gatewayAddresses where a gateway binds a listener's xDS address (identity by default;
 *     the local mesh maps server ports to free local ones)
 * @param requestObserver hears about every finished request after the metrics and the access log
 *     (e.g. an embedding application's own log); called on event loops, must not block
 * @param captureMode null without transparent capture; else how {@code proxy-init}'s rules
 *     deliver connections to the outbound and inbound listeners
 * @param inboundAddresses one inbound socket per application port (no capture, {@code zonemesh
 *     up}): a connection it accepts is matched to the inbound filter chains with that application
 *     port as its destination port; empty for none
 * @param workloadSecrets what the proxy serves as SDS {@code default} and {@code ROOTCA}; filled
 *     by the CA client when {@code ca} is set
 * @param ca how to get workload certificates; null for none (TLS that needs SDS {@code default}
 *     then fails closed; plaintext works)
 */
public record ProxyOptions(
        String xdsHost,
        int xdsPort,
        NodeIdentity node,
        InetSocketAddress outboundAddress,
        @Nullable InetSocketAddress inboundAddress,
        InetSocketAddress adminAddress,
        Clock clock,
        RandomSource random,
        @Nullable EventLoopGroup eventLoopGroup,
        int ioThreads,
        Duration drainTime,
        Duration shutdownTimeout,
        Duration xdsBackoffBase,
        Duration xdsBackoffMax,
        LoadBalancerFactory loadBalancerFactory,
        DnsResolver.Lookup dnsLookup,
        Duration requestHeadersTimeout,
        UnaryOperator<InetSocketAddress> gatewayAddresses,
        RequestObserver requestObserver,
        Duration streamIdleTimeout,
        Duration idleTimeout,
        int maxConnectionsPerListener,
        @Nullable CaptureMode captureMode,
        Map<Integer, InetSocketAddress> inboundAddresses,
        WorkloadSecrets workloadSecrets,
        @Nullable CaClientOptions ca) {

    public ProxyOptions {
        Objects.requireNonNull(xdsHost, "xdsHost");
        if (xdsHost.isEmpty()) {
            throw new IllegalArgumentException("xdsHost: \"\" (expected: a host name or address)");
        }
        if (xdsPort < 1 || xdsPort > 65535) {
            throw new IllegalArgumentException("xdsPort: " + xdsPort + " (expected: 1..65535)");
        }
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(outboundAddress, "outboundAddress");
        Objects.requireNonNull(adminAddress, "adminAddress");
        if (adminAddress.getAddress() == null || !adminAddress.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("adminAddress: " + adminAddress + " (expected: a loopback address)");
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: >= 0)");
        }
        requireNonNegative(drainTime, "drainTime");
        requirePositive(shutdownTimeout, "shutdownTimeout");
        requirePositive(xdsBackoffBase, "xdsBackoffBase");
        requirePositive(xdsBackoffMax, "xdsBackoffMax");
        if (xdsBackoffMax.compareTo(xdsBackoffBase) < 0) {
            throw new IllegalArgumentException(
                    "xdsBackoffMax: " + xdsBackoffMax + " (expected: >= xdsBackoffBase " + xdsBackoffBase + ")");
        }
        Objects.requireNonNull(loadBalancerFactory, "loadBalancerFactory");
        Objects.requireNonNull(dnsLookup, "dnsLookup");
        requireNonNegative(requestHeadersTimeout, "requestHeadersTimeout");
        Objects.requireNonNull(gatewayAddresses, "gatewayAddresses");
        Objects.requireNonNull(requestObserver, "requestObserver");
        requireNonNegative(streamIdleTimeout, "streamIdleTimeout");
        requireNonNegative(idleTimeout, "idleTimeout");
        inboundAddresses = Map.copyOf(inboundAddresses);
        for (int port : inboundAddresses.keySet()) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("inboundAddresses: application port " + port + " (expected: 1..65535)");
            }
        }
        Objects.requireNonNull(workloadSecrets, "workloadSecrets");
        if (maxConnectionsPerListener < 1) {
            throw new IllegalArgumentException(
                    "maxConnectionsPerListener: " + maxConnectionsPerListener + " (expected: >= 1)");
        }
    }

    /** What bounds each listener's downstream connections. */
    public DownstreamLimits downstreamLimits() {
        return new DownstreamLimits(requestHeadersTimeout, idleTimeout, maxConnectionsPerListener);
    }

    private static void requirePositive(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
        }
    }

    private static void requireNonNegative(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: >= 0)");
        }
    }

    /** Builds a {@link ZonemeshProxy}; defaults follow Istio's ports and Envoy's timings. */
    public static final class Builder {
        private @Nullable String xdsHost;
        private int xdsPort;
        private @Nullable NodeIdentity node;
        private InetSocketAddress outboundAddress = new InetSocketAddress("127.0.0.1", 15001);
        private @Nullable InetSocketAddress inboundAddress;
        private InetSocketAddress adminAddress = new InetSocketAddress("127.0.0.1", 15000);
        private Clock clock = Clock.system();
        private RandomSource random = RandomSource.system();
        private @Nullable EventLoopGroup eventLoopGroup;
        private int ioThreads;
        private Duration drainTime = Duration.ofSeconds(45);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private Duration xdsBackoffBase = ReconnectBackoff.DEFAULT_INITIAL;
        private Duration xdsBackoffMax = ReconnectBackoff.DEFAULT_MAX;
        private LoadBalancerFactory loadBalancerFactory = LoadBalancerFactory.DEFAULT;
        private DnsResolver.Lookup dnsLookup = DnsResolver.SYSTEM;
        private RequestObserver requestObserver = record -> {};
        private UnaryOperator<InetSocketAddress> gatewayAddresses = UnaryOperator.identity();
        private Duration requestHeadersTimeout = Duration.ofSeconds(10);
        private Duration streamIdleTimeout = ListenerContext.DEFAULT_STREAM_IDLE_TIMEOUT;
        private Duration idleTimeout = Duration.ofHours(1);
        private int maxConnectionsPerListener =
                defaultMaxConnections(Runtime.getRuntime().maxMemory());
        private @Nullable CaptureMode captureMode;
        private Map<Integer, InetSocketAddress> inboundAddresses = Map.of();
        private WorkloadSecrets workloadSecrets = new WorkloadSecrets();
        private @Nullable CaClientOptions ca;

        Builder() {}

        /**
         * One inbound socket per application port, each matching the inbound filter chains with
         * its application port as destination port (port 0 addresses pick free ports).
         */
        public Builder inboundAddresses(Map<Integer, InetSocketAddress> addresses) {
            this.inboundAddresses = Map.copyOf(addresses);
            return this;
        }

        /** Gets workload certificates from an Istio-compatible CA (none by default). */
        public Builder ca(@Nullable CaClientOptions options) {
            this.ca = options;
            return this;
        }

        /**
         * The SDS secrets to serve: by default the proxy's own, which the CA client fills; an
         * embedding runner (or a test) may pass its own and update it itself.
         */
        public Builder workloadSecrets(WorkloadSecrets secrets) {
            this.workloadSecrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        /**
         * The control plane's ADS address as {@code host:port} ({@code [v6]:port} for IPv6).
         *
         * @throws IllegalArgumentException when the port is missing or not a number
         */
        public Builder xdsServer(String hostAndPort) {
            Objects.requireNonNull(hostAndPort, "hostAndPort");
            int colon = hostAndPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostAndPort.length() - 1) {
                throw new IllegalArgumentException("xdsServer: " + hostAndPort + " (expected: host:port)");
            }
            String host = hostAndPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                this.xdsPort = Integer.parseInt(hostAndPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("xdsServer: " + hostAndPort + " (expected: host:port)", e);
            }
            this.xdsHost = host;
            return this;
        }

        public Builder node(NodeIdentity node) {
            this.node = Objects.requireNonNull(node, "node");
            return this;
        }

        /** Where the application's {@code http_proxy} points; port 0 picks a free port. Default 127.0.0.1:15001. */
        public Builder outboundAddress(InetSocketAddress address) {
            this.outboundAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Where other proxies reach this workload; unset means no inbound listener. */
        public Builder inboundAddress(@Nullable InetSocketAddress address) {
            this.inboundAddress = address;
            return this;
        }

        /** The admin server's address; must be loopback. Default 127.0.0.1:15000. */
        public Builder adminAddress(InetSocketAddress address) {
            this.adminAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder random(RandomSource random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** A shared NIO event loop group; the proxy will not shut it down. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = Objects.requireNonNull(group, "group");
            return this;
        }

        /** Threads of the proxy's own event loop group (ignored with a shared group). */
        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /** How long {@code /drain_listeners?graceful} discourages connections before closing listeners. */
        public Builder drainTime(Duration drainTime) {
            this.drainTime = drainTime;
            return this;
        }

        /** The bound on {@link ZonemeshProxy#close()}. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = timeout;
            return this;
        }

        /** The ADS reconnect backoff: initial delay and cap (default 1s ×1.6 up to 5s; {@link ReconnectBackoff}). */
        public Builder xdsBackoff(Duration base, Duration max) {
            this.xdsBackoffBase = base;
            this.xdsBackoffMax = max;
            return this;
        }

        /** The per-cluster load balancer; defaults to zonemesh-lb's. */
        public Builder loadBalancerFactory(LoadBalancerFactory factory) {
            this.loadBalancerFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** How STRICT_DNS clusters resolve host names; defaults to the JVM's resolver. */
        public Builder dnsLookup(DnsResolver.Lookup lookup) {
            this.dnsLookup = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /** How long a client may take to send a request's headers, from accept or its first byte (0: no limit). */
        public Builder requestHeadersTimeout(Duration timeout) {
            this.requestHeadersTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Envoy's {@code stream_idle_timeout}: how long a request may see no activity (0: no limit; default 5 min). */
        public Builder streamIdleTimeout(Duration timeout) {
            this.streamIdleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long a downstream HTTP/1.1 connection may stay without a request (0: no limit). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The default connection limit of a listener for a JVM whose maximum heap is {@code maxHeapBytes}. */
        static int defaultMaxConnections(long maxHeapBytes) {
            return (int) Math.max(1_024, Math.min(10_000, maxHeapBytes / (16 * 1024)));
        }

        /** How many connections each listener holds at once; more are answered 503 and closed. */
        public Builder maxConnectionsPerListener(int max) {
            this.maxConnectionsPerListener = max;
            return this;
        }

        /**
         * Transparent capture: the outbound and inbound listeners accept connections that
         * {@code zonemesh proxy-init}'s rules send them (null, the default: none).
         */
        public Builder capture(@Nullable CaptureMode mode) {
            this.captureMode = mode;
            return this;
        }

        /** Where a gateway binds each xDS listener address; the address itself by default. */
        public Builder gatewayAddresses(UnaryOperator<InetSocketAddress> mapper) {
            this.gatewayAddresses = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** Another listener for finished requests; none by default. */
        public Builder requestObserver(RequestObserver observer) {
            this.requestObserver = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** The validated options, without creating a proxy. */
        public ProxyOptions options() {
            if (xdsHost == null) {
                throw new IllegalStateException("xdsServer: unset (expected: host:port of the control plane)");
            }
            if (node == null) {
                throw new IllegalStateException("node: unset (expected: the proxy's node identity)");
            }
            return new ProxyOptions(
                    xdsHost,
                    xdsPort,
                    node,
                    outboundAddress,
                    inboundAddress,
                    adminAddress,
                    clock,
                    random,
                    eventLoopGroup,
                    ioThreads,
                    drainTime,
                    shutdownTimeout,
                    xdsBackoffBase,
                    xdsBackoffMax,
                    loadBalancerFactory,
                    dnsLookup,
                    requestHeadersTimeout,
                    gatewayAddresses,
                    requestObserver,
                    streamIdleTimeout,
                    idleTimeout,
                    maxConnectionsPerListener,
                    captureMode,
                    inboundAddresses,
                    workloadSecrets,
                    ca);
        }

        /** A proxy with these options, not yet started. */
        public ZonemeshProxy build() {
            return new ZonemeshProxy(options());
        }
    }
}
