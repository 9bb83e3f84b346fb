package io.zonemesh.controlplane;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.zonemesh.common.Nullable;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every ADS stream its own connection in front of java-control-plane, whose cache keys all
 * state by the node id a request carries:
 * <ul>
 *   <li>The first request must name its node (istiod: {@code InvalidArgument "missing node
 *       information"}), and the node must not contradict the registry ({@link NodeValidator};
 *       {@code PERMISSION_DENIED}). A refused stream never reaches the tracker or the cache.</li>
 *   <li>The stream gets a connection id {@code <node id>-<counter>}, as istiod's
 *       {@code connectionID}, and every request it sends is handed on with that id as its node
 *       id, so the cache's subscriptions, versions and incremental state, and the tracker's
 *       ACK/NACK status, are per stream. The node of the first request is kept for the stream's
 *       life; a node on a later request is ignored, as istiod ignores it.</li>
 *   <li>A NACK carries the last version the client accepted, which the cache takes as "out of
 *       date" and answers by sending the rejected config again, in a loop. Like Istio's
 *       {@code ShouldRespond} (and Cilium #12016), a NACK of this stream's latest response is
 *       recorded and answered only by the next change: its version is rewritten to the rejected
 *       one before the cache sees it. A NACK naming any other nonce is stale and changes nothing.</li>
 * </ul>
 */
final class ConnectionScopedAds extends AggregatedDiscoveryServiceImplBase {
    private static final Logger log = LoggerFactory.getLogger(ConnectionScopedAds.class);

    private final AggregatedDiscoveryServiceImplBase delegate;
    private final ProxyTracker tracker;
    private final NodeValidator validator;
    private final AtomicLong connections = new AtomicLong();

    ConnectionScopedAds(AggregatedDiscoveryServiceImplBase delegate, ProxyTracker tracker, NodeValidator validator) {
        this.delegate = delegate;
        this.tracker = tracker;
        this.validator = validator;
    }

    @Override
    public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
        return new Stream(responses);
    }

    @Override
    public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
            StreamObserver<DeltaDiscoveryResponse> responses) {
        responses.onError(Status.UNIMPLEMENTED
                .withDescription("zonemesh serves state-of-the-world ADS only; use StreamAggregatedResources")
                .asRuntimeException());
        return new StreamObserver<>() {
            @Override
            public void onNext(DeltaDiscoveryRequest value) {}

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }

    /** One ADS stream. gRPC delivers its requests one at a time; responses come from the send pool. */
    private final class Stream implements StreamObserver<DiscoveryRequest> {
        private final StreamObserver<DiscoveryResponse> responses;
        /** The latest response of each type on this stream: only its nonce may be ACKed or NACKed. */
        private final Map<String, DiscoveryResponse> latestByType = new ConcurrentHashMap<>();

        private volatile @Nullable AdsConnection connection;
        private @Nullable Node scopedNode;
        private @Nullable StreamObserver<DiscoveryRequest> inner;
        private boolean refused;

        Stream(StreamObserver<DiscoveryResponse> responses) {
            this.responses = responses;
        }

        @Override
        public void onNext(DiscoveryRequest request) {
            if (refused) {
                return;
            }
            if (inner == null && !open(request)) {
                return;
            }
            // open() set both, or returned false.
            AdsConnection c = Objects.requireNonNull(connection, "connection");
            StreamObserver<DiscoveryRequest> next = Objects.requireNonNull(inner, "inner");
            DiscoveryRequest.Builder b = request.toBuilder().setNode(scopedNode);
            String nonce = request.getResponseNonce();
            if (request.hasErrorDetail()) {
                DiscoveryResponse rejected = latestByType.get(request.getTypeUrl());
                if (rejected != null && rejected.getNonce().equals(nonce)) {
                    tracker.recordNack(c.id(), request);
                    b.setVersionInfo(rejected.getVersionInfo());
                }
            }
            next.onNext(b.build());
        }

        /** Validates the first request and opens the connection; false when the stream was refused. */
        private boolean open(DiscoveryRequest first) {
            Node node = first.getNode();
            if (!first.hasNode() || node.getId().isEmpty()) {
                refuse(Status.INVALID_ARGUMENT.withDescription("node.id: \"\" (expected: the first "
                        + "DiscoveryRequest of a stream names its node, xDS protocol \"Basic protocol overview\")"));
                return false;
            }
            String contradictions = validator.contradictions(node);
            if (contradictions != null) {
                refuse(Status.PERMISSION_DENIED.withDescription(contradictions));
                return false;
            }
            AdsConnection c = new AdsConnection(node.getId() + "-" + connections.incrementAndGet(), node);
            scopedNode = node.toBuilder().setId(c.id()).build();
            connection = c;
            tracker.opened(c);
            inner = delegate.streamAggregatedResources(new Recording());
            return true;
        }

        private void refuse(Status status) {
            refused = true;
            log.warn("refused an ADS stream: {}", status.getDescription());
            responses.onError(status.asRuntimeException());
        }

        private void close() {
            AdsConnection c = connection;
            if (c != null) {
                tracker.closed(c.id());
            }
        }

        @Override
        public void onError(Throwable t) {
            try {
                if (inner != null) {
                    inner.onError(t);
                }
            } finally {
                close();
            }
        }

        @Override
        public void onCompleted() {
            try {
                if (inner != null) {
                    inner.onCompleted();
                }
            } finally {
                close();
            }
        }

        /** What java-control-plane writes to the stream: remembered per type, then passed on. */
        private final class Recording implements StreamObserver<DiscoveryResponse> {
            @Override
            public void onNext(DiscoveryResponse response) {
                latestByType.put(response.getTypeUrl(), response);
                responses.onNext(response);
            }

            @Override
            public void onError(Throwable t) {
                try {
                    responses.onError(t);
                } finally {
                    close();
                }
            }

            @Override
            public void onCompleted() {
                try {
                    responses.onCompleted();
                } finally {
                    close();
                }
            }
        }
    }
}
