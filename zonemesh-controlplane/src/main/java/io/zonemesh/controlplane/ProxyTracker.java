package io.zonemesh.controlplane;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every ADS stream: which proxy it belongs to, what was sent, what was ACKed and what
 * was NACKed (with the proxy's error detail). A NACK is recorded and not answered with a resend
 * of the same config (Istio's {@code ShouldRespond}; Cilium #12016): the proxy keeps its last
 * good config until the mesh changes.
 */
final class ProxyTracker implements DiscoveryServerCallbacks {
    private static final Logger log = LoggerFactory.getLogger(ProxyTracker.class);

    private final Clock clock;
    private final Consumer<Node> onNewProxy;
    private final Consumer<String> onProxyGone;
    private final Map<Long, String> streamToProxy = new ConcurrentHashMap<>();
    private final Map<String, ProxyStatus> proxies = new ConcurrentHashMap<>();

    ProxyTracker(Clock clock, Consumer<Node> onNewProxy) {
        this(clock, onNewProxy, id -> {});
    }

    /** {@code onProxyGone} is told the id of a proxy whose last stream closed. */
    ProxyTracker(Clock clock, Consumer<Node> onNewProxy, Consumer<String> onProxyGone) {
        this.clock = clock;
        this.onNewProxy = onNewProxy;
        this.onProxyGone = onProxyGone;
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        String id = streamToProxy.get(streamId);
        if (id == null) {
            // Only the first request of a stream must carry the node (xDS protocol).
            if (!request.hasNode() || request.getNode().getId().isEmpty()) {
                log.warn("ADS stream {} sent no node id; ignoring it until it does", streamId);
                return;
            }
            Node node = request.getNode();
            id = node.getId();
            streamToProxy.put(streamId, id);
            long now = clock.currentTimeMillis();
            ProxyStatus status = proxies.computeIfAbsent(id, k -> new ProxyStatus(k, node, now));
            status.streamOpened(node, now);
            onNewProxy.accept(node);
        }
        ProxyStatus status = proxies.get(id);
        if (status == null || request.getResponseNonce().isEmpty()) {
            return;
        }
        if (!request.hasErrorDetail()) {
            status.acked(request.getTypeUrl(), request.getVersionInfo());
        }
        // NACKs are recorded by recordNack before their version is rewritten for the cache.
    }

    /** A NACK as the proxy sent it: {@code version_info} is the version it kept. */
    void recordNack(String proxyId, DiscoveryRequest request) {
        ProxyStatus status = proxies.get(proxyId);
        if (status == null) {
            return;
        }
        String error = request.getErrorDetail().getMessage();
        status.nacked(request.getTypeUrl(), request.getResponseNonce(), request.getVersionInfo(), error,
                clock.currentTimeMillis());
        log.warn("proxy {} rejected {} (kept version '{}'): {}", proxyId, ProxyStatus.shortType(request.getTypeUrl()),
                request.getVersionInfo(), error);
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        // Delta xDS is not served; java-control-plane answers it from the same cache.
    }

    @Override
    public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
        String id = streamToProxy.get(streamId);
        ProxyStatus status = id == null ? null : proxies.get(id);
        if (status != null) {
            status.sent(response.getTypeUrl(), response.getVersionInfo(), response.getNonce());
        }
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
        closed(streamId);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
        closed(streamId);
    }

    private void closed(long streamId) {
        String id = streamToProxy.remove(streamId);
        ProxyStatus status = id == null ? null : proxies.get(id);
        if (status != null) {
            status.streamClosed();
            if (!status.connected()) {
                onProxyGone.accept(id);
            }
        }
    }

    /** Nodes of proxies with at least one open stream. */
    List<Node> connectedNodes() {
        List<Node> out = new ArrayList<>();
        for (ProxyStatus s : proxies.values()) {
            if (s.connected()) {
                out.add(s.node());
            }
        }
        return out;
    }

    /** Status of every proxy ever seen, connected or not, sorted by id. */
    List<Map<String, Object>> views() {
        List<Map<String, Object>> out = new ArrayList<>();
        new java.util.TreeMap<>(proxies).values().forEach(s -> out.add(s.view()));
        return out;
    }

    /** Whether every connected proxy has ACKed everything it was sent. */
    boolean allConnectedSynced() {
        for (ProxyStatus s : proxies.values()) {
            if (s.connected() && !s.synced()) {
                return false;
            }
        }
        return true;
    }

    /** Number of proxies with an open stream. */
    int connectedCount() {
        return connectedNodes().size();
    }

    @Nullable ProxyStatus status(String proxyId) {
        return proxies.get(proxyId);
    }

    long totalRejects() {
        return proxies.values().stream().mapToLong(ProxyStatus::rejects).sum();
    }
}
