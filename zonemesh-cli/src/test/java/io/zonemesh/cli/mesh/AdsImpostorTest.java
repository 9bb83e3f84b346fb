package io.zonemesh.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Status;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.zonemesh.cli.demo.ExampleFiles;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ProxyType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real sidecar and a forged ADS client on the plaintext xDS port: the forger claims the
 * sidecar's node id as a gateway (no inbound clusters), NACKs what it is sent and leaves. The
 * sidecar keeps its inbound cluster, keeps serving inbound requests and stays SYNCED.
 */
class AdsImpostorTest {
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aForgedStreamWithTheSidecarsNodeIdLeavesTheSidecarServingAndSynced() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml"));
        try (LocalMesh mesh = LocalMesh.start(new ConfigLoader().load(dir).bundle(), RandomSource.seeded(7))) {
            mesh.awaitConverged(TIMEOUT);
            PodInstance pod = mesh.podsOf("sample", "sleep-az01").get(0);
            ZonemeshProxy victim = mesh.sidecarOf("sample", "sleep-az01");
            assertThat(inboundStatus(victim)).isEqualTo(200);

            NodeIdentity gateway = NodeIdentity.sidecar(pod.name(), pod.namespace(), pod.owner())
                    .withProxyType(ProxyType.ROUTER);
            int viewsWhileBothConnected;
            ManagedChannel channel = NettyChannelBuilder.forAddress(
                            "127.0.0.1", mesh.controlPlane().xdsPort())
                    .usePlaintext()
                    .build();
            try {
                BlockingQueue<DiscoveryResponse> received = new LinkedBlockingQueue<>();
                StreamObserver<DiscoveryRequest> impostor =
                        AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(collecting(received));
                impostor.onNext(DiscoveryRequest.newBuilder()
                        .setNode(gateway.toNode())
                        .setTypeUrl(CDS)
                        .build());
                DiscoveryResponse cds = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(cds).as("the impostor's own CDS").isNotNull();
                impostor.onNext(DiscoveryRequest.newBuilder()
                        .setTypeUrl(CDS)
                        .setResponseNonce(cds.getNonce())
                        .setErrorDetail(Status.newBuilder().setCode(3).setMessage("forged NACK"))
                        .build());
                await().atMost(TIMEOUT).until(() -> mesh.controlPlane().rejects() == 1);
                viewsWhileBothConnected = proxyViews(mesh, pod).size();
                impostor.onCompleted();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            await().atMost(TIMEOUT).until(() -> proxyViews(mesh, pod).size() == 1);

            // A push after the impostor left is computed from the sidecar's own node.
            mesh.registry().refresh();
            mesh.awaitConverged(TIMEOUT);
            assertThat(victim.snapshot().resources().clusters().keySet()).anyMatch(n -> n.startsWith("inbound|"));
            assertThat(inboundStatus(victim)).isEqualTo(200);
            Map<String, Object> view = proxyViews(mesh, pod).get(0);
            assertThat(view).containsEntry("connected", true);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> types = (Map<String, Map<String, Object>>) view.get("types");
            assertThat(types.values())
                    .allSatisfy(
                            t -> assertThat(t).containsEntry("status", "SYNCED").doesNotContainKey("lastError"));
            assertThat(viewsWhileBothConnected)
                    .as("proxy-status rows of the node id while both were connected")
                    .isEqualTo(2);
        }
    }

    private static List<Map<String, Object>> proxyViews(LocalMesh mesh, PodInstance pod) {
        String id = pod.name() + "." + pod.namespace();
        return mesh.controlPlane().syncStatus().stream()
                .filter(v -> id.equals(v.get("proxy")))
                .toList();
    }

    private static int inboundStatus(ZonemeshProxy proxy) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> res = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.inboundPort() + "/"))
                        .timeout(TIMEOUT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return res.statusCode();
    }

    private static StreamObserver<DiscoveryResponse> collecting(BlockingQueue<DiscoveryResponse> into) {
        return new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }
}
