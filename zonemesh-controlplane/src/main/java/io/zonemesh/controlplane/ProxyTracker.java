package io.zonemesh.controlplane;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.zonemesh.common.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every ADS connection ({@link ConnectionScopedAds} opens and closes them): what was
 * sent, what was ACKed and what was NACKed (with the proxy's error detail). State is per
 * connection, as istiod keeps it per {@code Connection}: two streams claiming one node id are
 * shown side by side, and a status from one never overwrites the other's. A NACK is recorded and
 * not answered with a resend of the same config (Istio's {@code ShouldRespond}; Cilium #12016).
 *
 * <p>The java-control-plane callbacks see requests whose node id is the connection id.
 */
final class ProxyTracker implements DiscoveryServerCallbacks {
    private static final Logger log = LoggerFactory.getLogger(ProxyTracker.class);

    private final Clock clock;
    private final Consumer<AdsConnection> onOpened;
    private final Consumer<String> onClosed;
    /** Live connections by connection id. */
    private final Map<String, ProxyStatus> live = new ConcurrentHashMap<>();
    /**
     * The last closed connection of each node id, shown as "disconnected" while no connection of
     * that node is live. One per node id, so reconnects do not accumulate.
     */
    private final Map<String, ProxyStatus> lastClosed = new ConcurrentHashMap<>();

    private final AtomicLong rejects = new AtomicLong();

    /**
     * @param onOpened told of a new connection, before its first request reaches the cache
     * @param onClosed told the id of a connection whose stream ended
     */
    ProxyTracker(Clock clock, Consumer<AdsConnection> onOpened, Consumer<String> onClosed) {
        this.clock = clock;
        this.onOpened = onOpened;
        this.onClosed = onClosed;
    }

    void opened(AdsConnection connection) {
        live.put(connection.id(), new ProxyStatus(connection, clock.currentTimeMillis()));
        lastClosed.remove(connection.nodeId());
        onOpened.accept(connection);
    }

    /** Idempotent: a stream may end from both sides. */
    void closed(String connectionId) {
        ProxyStatus status = live.remove(connectionId);
        if (status != null) {
            status.closed();
            lastClosed.put(status.connection().nodeId(), status);
            onClosed.accept(connectionId);
        }
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        ProxyStatus status = live.get(request.getNode().getId());
        if (status == null || request.getResponseNonce().isEmpty() || request.hasErrorDetail()) {
            return; // NACKs are recorded by recordNack before their version is rewritten for the cache
        }
        if (!status.acked(request.getTypeUrl(), request.getResponseNonce(), request.getVersionInfo())) {
            log.debug(
                    "connection {}: ignored an ACK of stale nonce {}",
                    request.getNode().getId(),
                    request.getResponseNonce());
        }
    }

    /** A NACK of the connection's latest response: {@code version_info} is the version it kept. */
    void recordNack(String connectionId, DiscoveryRequest request) {
        ProxyStatus status = live.get(connectionId);
        if (status == null) {
            return;
        }
        String error = request.getErrorDetail().getMessage();
        if (status.nacked(
                request.getTypeUrl(),
                request.getResponseNonce(),
                request.getVersionInfo(),
                error,
                clock.currentTimeMillis())) {
            rejects.incrementAndGet();
            log.warn(
                    "proxy {} (connection {}) rejected {} (kept version '{}'): {}",
                    status.connection().nodeId(),
                    connectionId,
                    ProxyStatus.shortType(request.getTypeUrl()),
                    request.getVersionInfo(),
                    error);
        }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        // Delta xDS is refused by ConnectionScopedAds before it gets here.
    }

    @Override
    public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
        ProxyStatus status = live.get(request.getNode().getId());
        if (status != null) {
            status.sent(response.getTypeUrl(), response.getVersionInfo(), response.getNonce());
        }
    }

    /** Live connections. */
    List<AdsConnection> connections() {
        List<AdsConnection> out = new ArrayList<>(live.size());
        live.values().forEach(s -> out.add(s.connection()));
        return out;
    }

    /**
     * Status of every live connection, and of the last connection of each node id that has none,
     * sorted by node id, then connection id.
     */
    List<Map<String, Object>> views() {
        List<ProxyStatus> shown = new ArrayList<>(live.values());
        Set<String> liveNodes = liveNodeIds();
        lastClosed.forEach((nodeId, s) -> {
            if (!liveNodes.contains(nodeId)) {
                shown.add(s);
            }
        });
        shown.sort(Comparator.comparing((ProxyStatus s) -> s.connection().nodeId())
                .thenComparing(s -> s.connection().id()));
        List<Map<String, Object>> out = new ArrayList<>(shown.size());
        shown.forEach(s -> out.add(s.view()));
        return out;
    }

    /** Whether every live connection has ACKed everything it was sent. */
    boolean allConnectedSynced() {
        for (ProxyStatus s : live.values()) {
            if (!s.synced()) {
                return false;
            }
        }
        return true;
    }

    /** Number of distinct node ids with a live connection. */
    int connectedCount() {
        return liveNodeIds().size();
    }

    private Set<String> liveNodeIds() {
        Set<String> ids = new HashSet<>();
        live.values().forEach(s -> ids.add(s.connection().nodeId()));
        return ids;
    }

    /** Total NACKs of latest responses, over all connections ever. */
    long totalRejects() {
        return rejects.get();
    }
}
