package io.zonemesh.proxy.testing;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.zonemesh.proxy.xds.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A state-of-the-world ADS server for tests: holds one version of resources per type, sends it
 * when a stream first asks for the type, when the subscribed names change, and when a test sets
 * new resources; RDS/EDS responses carry only the names asked for. Records every request.
 */
public final class FakeAdsServer extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
    private final Map<String, Snapshot> resources = new ConcurrentHashMap<>();
    private final Map<String, List<DiscoveryRequest>> requests = new ConcurrentHashMap<>();
    private final Map<String, Integer> consumed = new ConcurrentHashMap<>();
    private final List<DiscoveryRequest> allRequests = new CopyOnWriteArrayList<>();
    private final List<AdsStream> streams = new CopyOnWriteArrayList<>();
    private final AtomicInteger nonce = new AtomicInteger();
    private final AtomicInteger streamsOpened = new AtomicInteger();

    private record Snapshot(String version, List<Any> resources, Map<String, Any> byName) {}

    /** Serves this service in-process under {@code name}. */
    public Server startInProcess(String name) {
        try {
            return InProcessServerBuilder.forName(name)
                    .directExecutor()
                    .addService(this)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves this service over real gRPC on 127.0.0.1 at a free port. */
    public Server startOnLoopback() {
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(this)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets the resources of a type and pushes them to every stream subscribed to it. */
    public void set(ResourceType type, String version, Message... messages) {
        setAnys(type, version, EnvoyResources.anys(messages));
    }

    /** As {@link #set}, with resources already packed (possibly wrong on purpose). */
    public void setAnys(ResourceType type, String version, List<Any> anys) {
        Map<String, Any> byName = new HashMap<>();
        for (Any any : anys) {
            try {
                byName.put(type.nameOf(type.unpack(any)), any);
            } catch (IOException | RuntimeException e) {
                // Undecodable on purpose: sent to everyone, never filtered by name.
            }
        }
        resources.put(type.typeUrl(), new Snapshot(version, List.copyOf(anys), byName));
        for (AdsStream stream : streams) {
            stream.push(type.typeUrl());
        }
    }

    public int streamsOpened() {
        return streamsOpened.get();
    }

    public int openStreams() {
        return streams.size();
    }

    public List<DiscoveryRequest> requests() {
        return List.copyOf(allRequests);
    }

    /**
     * The next request of {@code type} that satisfies {@code condition}, skipping the requests of
     * that type before it.
     *
     * @throws org.awaitility.core.ConditionTimeoutException when none arrives within {@code timeout}
     */
    public DiscoveryRequest awaitRequest(ResourceType type, Predicate<DiscoveryRequest> condition, Duration timeout) {
        List<DiscoveryRequest> received = typed(type.typeUrl());
        AtomicReference<DiscoveryRequest> found = new AtomicReference<>();
        Awaitility.await("a matching " + type.kind() + " request")
                .atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    int start = consumed.getOrDefault(type.typeUrl(), 0);
                    for (int i = start; i < received.size(); i++) {
                        if (condition.test(received.get(i))) {
                            consumed.put(type.typeUrl(), i + 1);
                            found.set(received.get(i));
                            return true;
                        }
                    }
                    return false;
                });
        return found.get();
    }

    /** Makes {@link #awaitRequest} look only at requests that arrive from now on. */
    public void skipReceived() {
        requests.forEach((typeUrl, list) -> consumed.put(typeUrl, list.size()));
    }

    /** Every request of a type received so far. */
    public List<DiscoveryRequest> requests(ResourceType type) {
        return List.copyOf(typed(type.typeUrl()));
    }

    private List<DiscoveryRequest> typed(String typeUrl) {
        return requests.computeIfAbsent(typeUrl, t -> new CopyOnWriteArrayList<>());
    }

    @Override
    public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
        streamsOpened.incrementAndGet();
        AdsStream stream = new AdsStream(responses);
        streams.add(stream);
        return stream;
    }

    private final class AdsStream implements StreamObserver<DiscoveryRequest> {
        private final StreamObserver<DiscoveryResponse> out;
        private final Map<String, Set<String>> subscribed = new HashMap<>();

        AdsStream(StreamObserver<DiscoveryResponse> out) {
            this.out = out;
        }

        @Override
        public void onNext(DiscoveryRequest request) {
            allRequests.add(request);
            typed(request.getTypeUrl()).add(request);
            boolean send;
            synchronized (this) {
                Set<String> names = new HashSet<>(request.getResourceNamesList());
                Set<String> previous = subscribed.put(request.getTypeUrl(), names);
                send = previous == null || !previous.equals(names);
            }
            if (send) {
                push(request.getTypeUrl());
            }
        }

        synchronized void push(String typeUrl) {
            Snapshot snapshot = resources.get(typeUrl);
            Set<String> names = subscribed.get(typeUrl);
            if (snapshot == null || names == null) {
                return;
            }
            ResourceType type = ResourceType.fromTypeUrl(typeUrl);
            List<Any> selected = new ArrayList<>();
            if (type != null && !type.wildcard()) {
                for (String name : names) {
                    Any any = snapshot.byName.get(name);
                    if (any != null) {
                        selected.add(any);
                    }
                }
                snapshot.resources.stream()
                        .filter(a -> !snapshot.byName.containsValue(a))
                        .forEach(selected::add);
            } else {
                selected.addAll(snapshot.resources);
            }
            try {
                out.onNext(DiscoveryResponse.newBuilder()
                        .setTypeUrl(typeUrl)
                        .setVersionInfo(snapshot.version)
                        .setNonce("nonce-" + nonce.incrementAndGet())
                        .addAllResources(selected)
                        .build());
            } catch (RuntimeException e) {
                streams.remove(this);
            }
        }

        @Override
        public void onError(Throwable t) {
            streams.remove(this);
        }

        @Override
        public void onCompleted() {
            streams.remove(this);
            try {
                out.onCompleted();
            } catch (RuntimeException e) {
                // already closed
            }
        }
    }
}
