package io.zonemesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sDeployment;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.istio.ResourceMeta;
import io.zonemesh.registry.MeshRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ADS server over real gRPC on loopback: push, ACK, NACK, re-push on change. */
class AdsServerTest {
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    private MeshRegistry registry;
    private ControlPlane controlPlane;
    private ManagedChannel channel;
    private final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    private StreamObserver<DiscoveryRequest> requests;

    @BeforeEach
    void start() throws Exception {
        registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, multiAz());
        controlPlane = ControlPlane.builder(registry)
                .xdsAddress(new InetSocketAddress("127.0.0.1", 0))
                .debugAddress(new InetSocketAddress("127.0.0.1", 0))
                .debounceAfter(Duration.ofMillis(20))
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", controlPlane.xdsPort())
                .usePlaintext()
                .build();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse value) {
                responses.add(value);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        });
    }

    @AfterEach
    void stop() throws Exception {
        requests.onCompleted();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        controlPlane.close();
    }

    /** examples/multi-az without its DestinationRule, read by the real loader. */
    static MeshConfigBundle multiAz() throws Exception {
        Path dir = Paths.get(AdsServerTest.class
                .getClassLoader()
                .getResource("examples/multi-az")
                .toURI());
        LoadResult loaded =
                new ConfigLoader().loadLayers(List.of(dir.resolve("cluster.yaml"), dir.resolve("apps.yaml")));
        assertThat(loaded.hasErrors()).isFalse();
        return loaded.bundle();
    }

    private Node node() {
        return node(registry);
    }

    /** The Node the sidecar of sleep-az01's pod sends. */
    static Node node(MeshRegistry registry) {
        String pod = registry.pods().stream()
                .filter(p -> p.owner().equals("sleep-az01"))
                .findFirst()
                .orElseThrow()
                .name();
        return Node.newBuilder()
                .setId(pod + ".sample")
                .setCluster("sleep-az01.sample")
                .setLocality(Locality.newBuilder().setRegion("sg").setZone("az01"))
                .setMetadata(Struct.newBuilder()
                        .putFields(
                                "NAMESPACE",
                                Value.newBuilder().setStringValue("sample").build())
                        .putFields(
                                "NAME", Value.newBuilder().setStringValue(pod).build()))
                .build();
    }

    private DiscoveryResponse next() throws InterruptedException {
        DiscoveryResponse r = responses.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a response within 10 s").isNotNull();
        return r;
    }

    @Test
    void pushesClustersTracksAckAndNackAndRepushesOnChange() throws Exception {
        requests.onNext(
                DiscoveryRequest.newBuilder().setNode(node()).setTypeUrl(CDS).build());
        DiscoveryResponse first = next();
        List<String> names = first.getResourcesList().stream()
                .map(a -> {
                    try {
                        return a.unpack(Cluster.class).getName();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
        assertThat(names).contains("outbound|5000||helloworld.sample.svc.cluster.local");

        requests.onNext(DiscoveryRequest.newBuilder()
                .setTypeUrl(CDS)
                .setVersionInfo(first.getVersionInfo())
                .setResponseNonce(first.getNonce())
                .build());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "SYNCED".equals(cdsStatus().get("status")));

        // A mesh change that alters clusters: the DestinationRule-less mesh gains a new service.
        MeshConfigBundle b = multiAz();
        K8sService extra = new K8sService(
                new ResourceMeta("Service", "sample", "extra", Map.of(), Map.of(), "test", 1),
                Map.of("app", "extra"),
                List.of(new K8sService.Port("http", 8080, 0, null, "TCP", null)),
                null,
                null);
        MeshConfigBundle changed = new MeshConfigBundle(
                b.namespaces(), b.nodes(), concat(b.services(), extra), b.deployments(), b.pods(), b.istio());
        registry.apply(changed);
        DiscoveryResponse second = next();
        assertThat(second.getVersionInfo()).isNotEqualTo(first.getVersionInfo());

        requests.onNext(DiscoveryRequest.newBuilder()
                .setTypeUrl(CDS)
                .setVersionInfo(first.getVersionInfo())
                .setResponseNonce(second.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage("cluster x: bad lb_policy"))
                .build());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "NACKED".equals(cdsStatus().get("status")));
        assertThat(cdsStatus())
                .containsEntry("lastError", "cluster x: bad lb_policy")
                .containsEntry("acked", first.getVersionInfo());
        assertThat(controlPlane.rejects()).isEqualTo(1);
        // A NACK is not answered with the same config again.
        assertThat(responses.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void sendsOnlyTheLoadAssignmentsThatChangedOrWereNewlySubscribed() throws Exception {
        requests.onNext(
                DiscoveryRequest.newBuilder().setNode(node()).setTypeUrl(CDS).build());
        DiscoveryResponse cds = next();
        ack(cds);
        List<String> edsNames = cds.getResourcesList().stream()
                .map(a -> unpack(a, Cluster.class))
                .filter(Cluster::hasEdsClusterConfig)
                .map(c -> c.getEdsClusterConfig().getServiceName())
                .sorted()
                .toList();
        assertThat(edsNames)
                .hasSizeGreaterThanOrEqualTo(2)
                .contains("outbound|5000||helloworld.sample.svc.cluster.local");
        String hello = "outbound|5000||helloworld.sample.svc.cluster.local";
        String later =
                edsNames.stream().filter(n -> !n.equals(hello)).findFirst().orElseThrow();
        List<String> subscribed =
                edsNames.stream().filter(n -> !n.equals(later)).toList();

        requests.onNext(DiscoveryRequest.newBuilder()
                .setTypeUrl(EDS)
                .addAllResourceNames(subscribed)
                .build());
        DiscoveryResponse full = next();
        assertThat(full.getTypeUrl()).isEqualTo(EDS);
        assertThat(claNames(full)).containsExactlyInAnyOrderElementsOf(subscribed);
        ack(full, subscribed);

        // One more name: only that assignment is sent, under the same version.
        List<String> all = edsNames;
        requests.onNext(DiscoveryRequest.newBuilder()
                .setTypeUrl(EDS)
                .addAllResourceNames(all)
                .setVersionInfo(full.getVersionInfo())
                .setResponseNonce(full.getNonce())
                .build());
        DiscoveryResponse added = next();
        assertThat(claNames(added)).containsExactly(later);
        assertThat(added.getVersionInfo()).isEqualTo(full.getVersionInfo());
        ack(added, all);

        // An endpoint change: one assignment changes, and only it is sent; clusters are not resent.
        registry.apply(scaled(registry.bundle(), "helloworld-az01", 2));
        DiscoveryResponse change = next();
        assertThat(change.getTypeUrl()).isEqualTo(EDS);
        assertThat(claNames(change)).containsExactly("outbound|5000||helloworld.sample.svc.cluster.local");
        ClusterLoadAssignment cla = unpack(change.getResources(0), ClusterLoadAssignment.class);
        assertThat(cla.getEndpointsList().stream()
                        .mapToInt(l -> l.getLbEndpointsCount())
                        .sum())
                .isEqualTo(3);
        assertThat(change.getVersionInfo()).isNotEqualTo(full.getVersionInfo());
        ack(change, all);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> controlPlane.converged(registry.state().version(), 1));

        // A NACK: nothing now, and the next change sends every subscribed assignment again.
        registry.apply(scaled(registry.bundle(), "helloworld-az01", 3));
        DiscoveryResponse rejected = next();
        assertThat(claNames(rejected)).containsExactly("outbound|5000||helloworld.sample.svc.cluster.local");
        requests.onNext(DiscoveryRequest.newBuilder()
                .setTypeUrl(EDS)
                .addAllResourceNames(all)
                .setVersionInfo(change.getVersionInfo())
                .setResponseNonce(rejected.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage("bad endpoint"))
                .build());
        assertThat(responses.poll(300, TimeUnit.MILLISECONDS)).isNull();
        registry.apply(scaled(registry.bundle(), "helloworld-az01", 1));
        DiscoveryResponse afterNack = next();
        assertThat(claNames(afterNack)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(responses.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void anImpostorClaimingAProxysNodeIdNeverChangesWhatThatProxyIsSentOrItsStatus() throws Exception {
        requests.onNext(
                DiscoveryRequest.newBuilder().setNode(node()).setTypeUrl(CDS).build());
        DiscoveryResponse victimCds = next();
        assertThat(clusterNames(victimCds)).anyMatch(n -> n.startsWith("inbound|"));
        ack(victimCds);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "SYNCED".equals(cdsStatus().get("status")));
        String victim = (String) controlPlane.syncStatus().get(0).get("connection");

        // Same node id, announced as a gateway (which has no inbound clusters), on its own stream.
        Node impostorNode = node().toBuilder()
                .setMetadata(node().getMetadata().toBuilder()
                        .putFields(
                                "PROXY_TYPE",
                                Value.newBuilder().setStringValue("router").build()))
                .build();
        try (AdsStream impostor = new AdsStream(controlPlane.xdsPort())) {
            impostor.send(DiscoveryRequest.newBuilder()
                    .setNode(impostorNode)
                    .setTypeUrl(CDS)
                    .build());
            DiscoveryResponse impostorCds = impostor.next();
            assertThat(clusterNames(impostorCds)).noneMatch(n -> n.startsWith("inbound|"));
            // proxy-status shows both connections of the node id, each with its own state.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> controlPlane.syncStatus().size() == 2);
            assertThat(controlPlane.syncStatus())
                    .extracting(v -> v.get("proxy"))
                    .containsOnly(node().getId());
            assertThat(controlPlane.syncStatus())
                    .extracting(v -> v.get("connection"))
                    .doesNotHaveDuplicates();
            // A forged NACK, of the nonce the impostor was sent (the victim was sent the same one).
            impostor.send(DiscoveryRequest.newBuilder()
                    .setTypeUrl(CDS)
                    .setResponseNonce(impostorCds.getNonce())
                    .setErrorDetail(Status.newBuilder().setCode(3).setMessage("forged"))
                    .build());
            await().atMost(Duration.ofSeconds(10)).until(() -> controlPlane.rejects() == 1);
            assertThat(cdsStatusOf(victim)).containsEntry("status", "SYNCED");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> controlPlane.syncStatus().size() == 1);
        assertThat(cdsStatus()).containsEntry("status", "SYNCED").doesNotContainKey("lastError");

        // The victim got nothing from the impostor's visit, and its next config is still its own.
        assertThat(responses).isEmpty();
        registry.apply(withExtraService(registry.bundle()));
        DiscoveryResponse after = next();
        assertThat(after.getTypeUrl()).isEqualTo(CDS);
        assertThat(clusterNames(after)).anyMatch(n -> n.startsWith("inbound|"));
    }

    @Test
    void refusesAStreamWhoseNodeContradictsTheRegistry() throws Exception {
        Node lying = node().toBuilder()
                .setLocality(Locality.newBuilder().setRegion("sg").setZone("az02"))
                .setMetadata(node().getMetadata().toBuilder()
                        .putFields(
                                "LABELS",
                                Value.newBuilder()
                                        .setStructValue(Struct.newBuilder()
                                                .putFields(
                                                        "app",
                                                        Value.newBuilder()
                                                                .setStringValue("helloworld")
                                                                .build()))
                                        .build()))
                .build();
        try (AdsStream stream = new AdsStream(controlPlane.xdsPort())) {
            stream.send(
                    DiscoveryRequest.newBuilder().setNode(lying).setTypeUrl(CDS).build());
            io.grpc.Status status = stream.awaitError();
            assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription())
                    .isEqualTo(
                            "node " + lying.getId() + " contradicts the registry's pod "
                                    + "sample/"
                                    + lying.getId().substring(0, lying.getId().lastIndexOf('.'))
                                    + ": node.locality.zone: az02 (expected: az01); node.metadata.LABELS.app: helloworld (expected: sleep)");
        }
        try (AdsStream stream = new AdsStream(controlPlane.xdsPort())) {
            stream.send(DiscoveryRequest.newBuilder().setTypeUrl(CDS).build());
            assertThat(stream.awaitError().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
        }
        assertThat(controlPlane.syncStatus()).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> cdsStatusOf(String connection) {
        Map<String, Object> view = controlPlane.syncStatus().stream()
                .filter(v -> connection.equals(v.get("connection")))
                .findFirst()
                .orElseThrow();
        return (Map<String, Object>) ((Map<String, Object>) view.get("types")).getOrDefault("CDS", Map.of());
    }

    private static MeshConfigBundle withExtraService(MeshConfigBundle b) {
        K8sService extra = new K8sService(
                new ResourceMeta("Service", "sample", "extra", Map.of(), Map.of(), "test", 1),
                Map.of("app", "extra"),
                List.of(new K8sService.Port("http", 8080, 0, null, "TCP", null)),
                null,
                null);
        return new MeshConfigBundle(
                b.namespaces(), b.nodes(), concat(b.services(), extra), b.deployments(), b.pods(), b.istio());
    }

    private static List<String> clusterNames(DiscoveryResponse r) {
        return r.getResourcesList().stream()
                .map(a -> unpack(a, Cluster.class).getName())
                .toList();
    }

    /** A second ADS client on its own channel, as another process would open it. */
    private static final class AdsStream implements AutoCloseable {
        private final ManagedChannel channel;
        private final BlockingQueue<DiscoveryResponse> received = new LinkedBlockingQueue<>();
        private final java.util.concurrent.CompletableFuture<io.grpc.Status> closed =
                new java.util.concurrent.CompletableFuture<>();
        private final StreamObserver<DiscoveryRequest> requests;

        AdsStream(int port) {
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                    .usePlaintext()
                    .build();
            requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                    .streamAggregatedResources(new StreamObserver<>() {
                        @Override
                        public void onNext(DiscoveryResponse value) {
                            received.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            closed.complete(io.grpc.Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            closed.complete(io.grpc.Status.OK);
                        }
                    });
        }

        void send(DiscoveryRequest request) {
            requests.onNext(request);
        }

        DiscoveryResponse next() throws InterruptedException {
            DiscoveryResponse r = received.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("a response within 10 s").isNotNull();
            return r;
        }

        io.grpc.Status awaitError() throws Exception {
            return closed.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            if (!closed.isDone()) {
                requests.onCompleted();
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void ack(DiscoveryResponse r) {
        ack(r, List.of());
    }

    private void ack(DiscoveryResponse r, List<String> names) {
        requests.onNext(DiscoveryRequest.newBuilder()
                .setTypeUrl(r.getTypeUrl())
                .addAllResourceNames(names)
                .setVersionInfo(r.getVersionInfo())
                .setResponseNonce(r.getNonce())
                .build());
    }

    private static List<String> claNames(DiscoveryResponse r) {
        return r.getResourcesList().stream()
                .map(a -> unpack(a, ClusterLoadAssignment.class).getClusterName())
                .toList();
    }

    private static <T extends com.google.protobuf.Message> T unpack(com.google.protobuf.Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static MeshConfigBundle scaled(MeshConfigBundle b, String deployment, int replicas) {
        List<K8sDeployment> out = b.deployments().stream()
                .map(d -> d.meta().name().equals(deployment)
                        ? new K8sDeployment(d.meta(), replicas, d.matchLabels(), d.template())
                        : d)
                .toList();
        assertThat(out).isNotEqualTo(b.deployments());
        return new MeshConfigBundle(b.namespaces(), b.nodes(), b.services(), out, b.pods(), b.istio());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> cdsStatus() {
        List<Map<String, Object>> all = controlPlane.syncStatus();
        if (all.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> types = (Map<String, Object>) all.get(0).get("types");
        return (Map<String, Object>) types.getOrDefault("CDS", Map.of());
    }

    private static <T> List<T> concat(List<T> a, T b) {
        java.util.ArrayList<T> out = new java.util.ArrayList<>(a);
        out.add(b);
        return out;
    }
}
