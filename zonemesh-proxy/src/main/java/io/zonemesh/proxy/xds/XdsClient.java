package io.zonemesh.proxy.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.Scheduler;
import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.DiscoveryType;
import io.zonemesh.proxy.config.EndpointAssignment;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.config.RouteTable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ADS client speaking state-of-the-world xDS v3, as Envoy's {@code GrpcMuxImpl}: one stream
 * carries CDS and LDS (wildcard) and EDS and RDS for the names the accepted clusters and
 * listeners reference, re-requested whenever those sets change. Each response is validated as
 * a whole: any invalid resource NACKs it (previous {@code version_info}, the response's nonce,
 * {@code error_detail} listing every problem) and the last good resources stay in force;
 * otherwise it is ACKed and the {@link Watcher} receives the new resources. A failed stream is
 * re-opened after a capped, jittered {@link ReconnectBackoff}, as grpc-java's xDS client does it
 * ({@code ControlPlaneClient.handleRpcStreamClosed}): the sequence starts over when the closed
 * stream had received a response, and the time the stream lived counts against the delay, so a
 * long-lived stream that breaks (a control-plane restart) is retried at once.
 *
 * <p>All state lives on one serial executor: gRPC callbacks are delivered there
 * ({@code withExecutor}) and the reconnect timer hops back onto it.
 */
public final class XdsClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(XdsClient.class);

    /** Receives every accepted change, on the serial executor, after the ACK was sent. */
    @FunctionalInterface
    public interface Watcher {
        void onResourcesChanged(XdsResources resources);
    }

    private final Channel channel;
    private final Node node;
    private final Executor executor;
    private final Scheduler scheduler;
    private final ReconnectBackoff backoff;
    private final Clock clock;
    private final Watcher watcher;
    private final Map<ResourceType, SubscriptionState> states = new EnumMap<>(ResourceType.class);
    private @Nullable AdsStream stream;
    private Scheduler.@Nullable Cancellable reconnect;
    private boolean closed;
    private long streamsOpened;
    private volatile XdsStatus status;

    /**
     * @param serialExecutor runs every callback and state change in order; must not run two
     *     tasks at once
     * @param scheduler times the reconnect backoff; its tasks only enqueue onto the executor
     * @param clock the scheduler's time (how long a stream lived shortens its reconnect delay)
     */
    public XdsClient(
            Channel channel,
            Node node,
            Executor serialExecutor,
            Scheduler scheduler,
            ReconnectBackoff backoff,
            Clock clock,
            Watcher watcher) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.node = Objects.requireNonNull(node, "node");
        this.executor = Objects.requireNonNull(serialExecutor, "serialExecutor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        for (ResourceType type : ResourceType.values()) {
            states.put(type, new SubscriptionState(type));
        }
        this.status = buildStatus();
    }

    /** Opens the stream. */
    public void start() {
        run(this::openStream);
    }

    /** The stream and per-type state; safe to call from any thread. */
    public XdsStatus status() {
        return status;
    }

    /** Cancels the stream and any pending reconnect; no watcher call follows the queued tasks. */
    @Override
    public void close() {
        run(() -> {
            closed = true;
            if (reconnect != null) {
                reconnect.cancel();
                reconnect = null;
            }
            AdsStream current = stream;
            stream = null;
            if (current != null) {
                current.cancel();
            }
            status = buildStatus();
        });
    }

    private void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("xDS executor already shut down", e);
        }
    }

    private void openStream() {
        reconnect = null;
        if (closed) {
            return;
        }
        if (channel instanceof ManagedChannel managed && streamsOpened > 0) {
            // The channel keeps its own reconnect backoff (grpc-java's default grows to 120 s) and
            // fails RPCs at once while it waits: without this reset a proxy would stay cut off from
            // a control plane that is back long after this client's capped delay ran out.
            managed.resetConnectBackoff();
        }
        AdsStream opened = new AdsStream(clock.nanoTime());
        stream = opened;
        streamsOpened++;
        for (SubscriptionState state : states.values()) {
            state.nonce = "";
            state.requestedOnStream = false;
        }
        // Callbacks arriving after the executor shut down (the cancel at close) are dropped.
        AggregatedDiscoveryServiceGrpc.newStub(channel).withExecutor(this::run).streamAggregatedResources(opened);
        for (SubscriptionState state : states.values()) {
            // Wildcard types are always requested; a new stream resends the last accepted versions
            // so that the server can skip what the proxy already has.
            if (state.type.wildcard() || !state.names.isEmpty()) {
                send(state, null);
            }
        }
        status = buildStatus();
    }

    private void onStreamClosed(AdsStream closedStream, Status cause) {
        if (stream != closedStream) {
            return;
        }
        stream = null;
        if (closed) {
            return;
        }
        if (closedStream.responded) {
            backoff.reset();
        }
        long livedNanos = clock.nanoTime() - closedStream.openedNanos;
        Duration delay = Duration.ofNanos(Math.max(0, backoff.nextDelay().toNanos() - livedNanos));
        log.warn(
                "xDS stream closed ({}); reconnecting in {} ms, serving the last accepted config",
                cause,
                delay.toMillis());
        reconnect = scheduler.schedule(() -> run(this::openStream), delay);
        status = buildStatus();
    }

    private void onResponse(DiscoveryResponse response) {
        ResourceType type = ResourceType.fromTypeUrl(response.getTypeUrl());
        if (type == null) {
            log.warn("ignoring xDS response of unknown type {}", response.getTypeUrl());
            return;
        }
        SubscriptionState state = state(type);
        state.nonce = response.getNonce();
        ResponseDecoder.Decoded decoded;
        try {
            decoded = ResponseDecoder.decode(
                    type, response, state(ResourceType.CLUSTER).resources.keySet(), clock.currentTimeMillis());
        } catch (RuntimeException e) {
            // A parser bug must cost one NACK, not the stream.
            log.error("failed to decode {} version {}", type.kind(), response.getVersionInfo(), e);
            ValidationErrors errors = new ValidationErrors();
            errors.add(type.kind(), "version " + response.getVersionInfo(), "decodable (internal error: " + e + ")");
            decoded = new ResponseDecoder.Decoded(Map.of(), errors);
        }
        if (!decoded.errors().isEmpty()) {
            nack(state, response.getVersionInfo(), decoded.errors().joined());
            return;
        }
        accept(state, response.getVersionInfo(), decoded.resources());
    }

    private void nack(SubscriptionState state, String version, String detail) {
        log.warn("NACK {} version {} (keeping version \"{}\"):\n{}", state.type.kind(), version, state.version, detail);
        state.nackVersion = version;
        state.nackError = detail;
        state.nackMillis = clock.currentTimeMillis();
        send(state, detail);
        status = buildStatus();
    }

    private void accept(SubscriptionState state, String version, Map<String, XdsResource<Object>> resources) {
        if (state.type.wildcard()) {
            state.resources = Map.copyOf(resources);
        } else {
            Map<String, XdsResource<Object>> merged = new HashMap<>(state.resources);
            resources.forEach((name, resource) -> {
                if (state.names.contains(name)) {
                    merged.put(name, resource);
                }
            });
            state.resources = Map.copyOf(merged);
        }
        state.version = version;
        state.accepted = true;
        state.ackMillis = clock.currentTimeMillis();
        send(state, null);
        if (state.type == ResourceType.LISTENER) {
            resubscribe(state(ResourceType.ROUTE), routeNames());
        } else if (state.type == ResourceType.CLUSTER) {
            resubscribe(state(ResourceType.ENDPOINT), endpointNames());
        }
        status = buildStatus();
        try {
            watcher.onResourcesChanged(resources());
        } catch (RuntimeException e) {
            log.error("xDS watcher failed on {} version {}", state.type.kind(), version, e);
        }
    }

    /** Follows the names the accepted resources reference, dropping what is no longer named. */
    private void resubscribe(SubscriptionState state, Set<String> names) {
        if (names.equals(state.names)) {
            return;
        }
        state.names = Set.copyOf(names);
        Map<String, XdsResource<Object>> kept = new HashMap<>(state.resources);
        kept.keySet().retainAll(names);
        state.resources = Map.copyOf(kept);
        // An empty list is only sent to unsubscribe: as a first request it would mean "all".
        if (!names.isEmpty() || state.requestedOnStream) {
            send(state, null);
        }
    }

    private Set<String> routeNames() {
        Set<String> names = new HashSet<>();
        for (XdsResource<Object> resource :
                state(ResourceType.LISTENER).resources.values()) {
            String rds = ((ListenerConfig) resource.parsed()).rdsName();
            if (rds != null) {
                names.add(rds);
            }
        }
        return names;
    }

    private Set<String> endpointNames() {
        Set<String> names = new HashSet<>();
        for (XdsResource<Object> resource :
                state(ResourceType.CLUSTER).resources.values()) {
            ClusterConfig cluster = (ClusterConfig) resource.parsed();
            if (cluster.type() == DiscoveryType.EDS) {
                names.add(cluster.edsServiceName());
            }
        }
        return names;
    }

    private void send(SubscriptionState state, @Nullable String errorDetail) {
        AdsStream current = stream;
        if (current == null) {
            return;
        }
        // The xDS protocol only guarantees the node on a stream's first request; Envoy's
        // set_node_on_first_message_only does the same.
        DiscoveryRequest request = state.request(current.nodeSent ? null : node, errorDetail);
        current.nodeSent = true;
        try {
            current.requests.onNext(request);
            state.requestedOnStream = true;
        } catch (RuntimeException e) {
            log.debug("could not send {} request on a closing stream", state.type.kind(), e);
        }
    }

    private XdsResources resources() {
        return new XdsResources(
                state(ResourceType.LISTENER).typed(ListenerConfig.class),
                state(ResourceType.ROUTE).typed(RouteTable.class),
                state(ResourceType.CLUSTER).typed(ClusterConfig.class),
                state(ResourceType.ENDPOINT).typed(EndpointAssignment.class),
                versions());
    }

    private Map<ResourceType, String> versions() {
        Map<ResourceType, String> versions = new EnumMap<>(ResourceType.class);
        for (SubscriptionState state : states.values()) {
            if (state.accepted) {
                versions.put(state.type, state.version);
            }
        }
        return versions;
    }

    private XdsStatus buildStatus() {
        Map<ResourceType, XdsStatus.TypeStatus> types = new EnumMap<>(ResourceType.class);
        states.forEach((type, state) -> types.put(type, state.status()));
        return new XdsStatus(stream != null && stream.responded, streamsOpened, types);
    }

    /** The state of one type; the constructor made one for every type. */
    private SubscriptionState state(ResourceType type) {
        return Objects.requireNonNull(states.get(type), "no state for " + type);
    }

    /** One ADS stream; callbacks of a replaced stream are ignored. */
    private final class AdsStream implements ClientResponseObserver<DiscoveryRequest, DiscoveryResponse> {
        final long openedNanos;
        // Set by gRPC in beforeStart, before any other callback and before the stream is used.
        @SuppressWarnings("NullAway.Init")
        ClientCallStreamObserver<DiscoveryRequest> requests;

        boolean nodeSent;
        boolean responded;

        AdsStream(long openedNanos) {
            this.openedNanos = openedNanos;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(DiscoveryResponse response) {
            if (stream != this) {
                return;
            }
            responded = true;
            try {
                onResponse(response);
            } catch (RuntimeException e) {
                log.error("failed to handle xDS response {}", response.getTypeUrl(), e);
            }
        }

        @Override
        public void onError(Throwable t) {
            onStreamClosed(this, Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            onStreamClosed(this, Status.UNAVAILABLE.withDescription("stream completed by the server"));
        }

        void cancel() {
            if (requests != null) {
                requests.cancel("xDS client closed", null);
            }
        }
    }
}
