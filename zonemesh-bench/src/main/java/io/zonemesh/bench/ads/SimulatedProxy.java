package io.zonemesh.bench.ads;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One simulated sidecar on an ADS stream, behaving as Envoy (and our proxy) does: subscribes to
 * CDS and LDS with its Node on the first request only, subscribes to EDS for the EDS clusters
 * and to RDS for the route configurations it received, and ACKs every response with its version
 * and nonce. It never NACKs. gRPC delivers one stream's responses one at a time.
 */
final class SimulatedProxy implements StreamObserver<ResponseView> {
    private final int index;
    private final Node node;
    private final AckLog log;
    private final Clock clock;
    private final NameLists names;
    private final Map<String, String> versions = new HashMap<>();
    private final Map<String, String> nonces = new HashMap<>();
    private List<String> edsNames = List.of();
    private List<String> rdsNames = List.of();
    private @Nullable StreamObserver<DiscoveryRequest> requests;
    private boolean nodeSent;

    SimulatedProxy(int index, Node node, AckLog log, Clock clock, NameLists names) {
        this.index = index;
        this.node = node;
        this.log = log;
        this.clock = clock;
        this.names = names;
    }

    /** Opens the stream and subscribes to clusters and listeners (wildcard). */
    void start(Channel channel, MethodDescriptor<DiscoveryRequest, ResponseView> method) {
        requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(method, CallOptions.DEFAULT), this);
        send(XdsTypes.CDS, List.of());
        send(XdsTypes.LDS, List.of());
    }

    @Override
    public synchronized void onNext(ResponseView response) {
        String type = response.typeUrl();
        versions.put(type, response.version());
        nonces.put(type, response.nonce());
        switch (XdsTypes.shortName(type)) {
            case "CDS" -> {
                List<String> next = names.canonical(ResourceNames.edsNames(response.resources()));
                if (!next.equals(edsNames)) {
                    edsNames = next;
                    send(XdsTypes.EDS, edsNames);
                }
                send(type, List.of());
            }
            case "LDS" -> {
                List<String> next = names.canonical(ResourceNames.rdsNames(response.resources()));
                if (!next.equals(rdsNames)) {
                    rdsNames = next;
                    send(XdsTypes.RDS, rdsNames);
                }
                send(type, List.of());
            }
            case "EDS" -> send(type, edsNames);
            case "RDS" -> send(type, rdsNames);
            default -> {
                log.fail("client " + index + " got a response of type " + type + " it never asked for");
                return;
            }
        }
        log.acked(index, type, response.version(), clock.nanoTime());
    }

    @Override
    public void onError(Throwable t) {
        Throwable cause = t.getCause();
        log.fail("client " + index + " (" + node.getId() + ") stream failed: " + io.grpc.Status.fromThrowable(t)
                + (cause == null ? "" : " caused by " + cause));
    }

    @Override
    public void onCompleted() {
        log.fail("client " + index + " (" + node.getId() + ") stream closed by the server");
    }

    /** Ends the stream from the client side. */
    synchronized void close() {
        if (requests != null) {
            requests.onCompleted();
        }
    }

    /**
     * A request for {@code typeUrl}: an ACK of the last response of that type when one arrived
     * (its version and nonce), else the initial subscription. The harness thread sends the first
     * two while responses may already be arriving, hence the lock.
     */
    private synchronized void send(String typeUrl, List<String> resourceNames) {
        DiscoveryRequest.Builder b = DiscoveryRequest.newBuilder()
                .setTypeUrl(typeUrl)
                .setVersionInfo(versions.getOrDefault(typeUrl, ""))
                .setResponseNonce(nonces.getOrDefault(typeUrl, ""))
                .addAllResourceNames(resourceNames);
        if (!nodeSent) {
            b.setNode(node);
            nodeSent = true;
        }
        Objects.requireNonNull(requests, "start() opens the stream").onNext(b.build());
    }
}
