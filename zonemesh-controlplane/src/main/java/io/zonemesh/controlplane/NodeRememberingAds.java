package io.zonemesh.controlplane;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import io.zonemesh.common.Nullable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixes two mismatches between the xDS protocol and java-control-plane's cache, per stream:
 * <ul>
 *   <li>A client may send its {@code Node} only on the first request of a stream (Envoy's
 *       {@code set_node_on_first_message_only}, and our own proxy), but the cache groups every
 *       request by the node it carries: later requests get the stream's node filled in.</li>
 *   <li>A NACK carries the last version the client accepted, which the cache takes as "out of
 *       date" and answers by sending the rejected config again, in a loop. Like Istio's
 *       {@code ShouldRespond} (and Cilium #12016), a NACK is recorded and answered only by the
 *       next change: its version is rewritten to the rejected one before the cache sees it.</li>
 * </ul>
 */
final class NodeRememberingAds extends AggregatedDiscoveryServiceImplBase {
    private final AggregatedDiscoveryServiceImplBase delegate;
    private final ProxyTracker tracker;

    NodeRememberingAds(AggregatedDiscoveryServiceImplBase delegate, ProxyTracker tracker) {
        this.delegate = delegate;
        this.tracker = tracker;
    }

    @Override
    public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
        Map<String, String> versionByNonce = new ConcurrentHashMap<>();
        StreamObserver<DiscoveryResponse> recording = new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                versionByNonce.put(response.getNonce(), response.getVersionInfo());
                responses.onNext(response);
            }

            @Override
            public void onError(Throwable t) {
                responses.onError(t);
            }

            @Override
            public void onCompleted() {
                responses.onCompleted();
            }
        };
        StreamObserver<DiscoveryRequest> inner = delegate.streamAggregatedResources(recording);
        return new StreamObserver<>() {
            // gRPC delivers a stream's messages one at a time, so no synchronisation is needed.
            private @Nullable Node node;

            @Override
            public void onNext(DiscoveryRequest request) {
                DiscoveryRequest.Builder b = null;
                if (request.hasNode() && !request.getNode().getId().isEmpty()) {
                    node = request.getNode();
                } else if (node != null) {
                    b = request.toBuilder().setNode(node);
                }
                if (request.hasErrorDetail() && node != null) {
                    tracker.recordNack(node.getId(), request);
                    String rejected = versionByNonce.remove(request.getResponseNonce());
                    if (rejected != null) {
                        b = (b == null ? request.toBuilder() : b).setVersionInfo(rejected);
                    }
                } else if (!request.getResponseNonce().isEmpty()) {
                    versionByNonce.remove(request.getResponseNonce());
                }
                inner.onNext(b == null ? request : b.build());
            }

            @Override
            public void onError(Throwable t) {
                inner.onError(t);
            }

            @Override
            public void onCompleted() {
                inner.onCompleted();
            }
        };
    }

    @Override
    public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
            StreamObserver<DeltaDiscoveryResponse> responses) {
        return delegate.deltaAggregatedResources(responses);
    }
}
