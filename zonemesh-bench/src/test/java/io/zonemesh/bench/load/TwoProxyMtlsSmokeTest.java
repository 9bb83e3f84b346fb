package io.zonemesh.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zonemesh.common.Clock;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.registry.EndpointAddressing.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's mTLS path, hermetic: with a CA the bench mesh's sidecars get SPIFFE certificates
 * and the client sidecar sends Istio mutual TLS to the server sidecar, which (STRICT) answers no
 * plaintext and hands the verified caller to the backend in x-forwarded-client-cert.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TwoProxyMtlsSmokeTest {
    static final String STRICT = """
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: bench}
            spec:
              mtls: {mode: STRICT}
            """;

    @TempDir
    Path dir;

    @Test
    void clientSidecarSendsMutualTlsThatTheStrictServerSidecarVerifies() throws Exception {
        Files.writeString(dir.resolve("mesh.yaml"), TwoProxyPathSmokeTest.MESH + STRICT);
        BenchCa ca = new BenchCa(Clock.system(), new SecureRandom());
        try (TestBackend backend = new TestBackend();
                FixedAddressMesh mesh =
                        new FixedAddressMesh(FixedAddressMesh.load(dir), new InetSocketAddress("127.0.0.1", 0), ca)) {
            mesh.application(
                    "bench",
                    "server-0",
                    new HostPort("127.0.0.1", backend.address().getPort()));
            try (ZonemeshProxy server = proxy(mesh, ca, "server-0", true);
                    ZonemeshProxy client = proxy(mesh, ca, "client-0", false)) {
                mesh.endpoint("bench", "server-0", new HostPort("127.0.0.1", server.inboundPort()));
                LoadTarget viaMesh = new LoadTarget(
                        "mesh",
                        new InetSocketAddress("127.0.0.1", client.outboundPort()),
                        TwoProxyPathSmokeTest.HOST,
                        "/");
                await().atMost(Duration.ofSeconds(60)).until(() -> server.ready() && client.ready());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    try (OpenLoopSender probe = OpenLoopSender.connect(
                            viaMesh, 1, Duration.ofSeconds(5), true, Duration.ZERO, Clock.system())) {
                        assertThat(probe.run(20, Duration.ofMillis(50), RequestListener.NONE)
                                        .get()
                                        .ok())
                                .isEqualTo(1);
                    }
                });

                // Only a server sidecar that terminated mutual TLS and verified the caller's
                // certificate sets these (Envoy's SANITIZE_SET on the sidecar inbound).
                assertThat(backend.lastClientCert())
                        .startsWith("By=spiffe://cluster.local/ns/bench/sa/default;")
                        .contains("URI=spiffe://cluster.local/ns/bench/sa/default");
                HttpClient plain = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                HttpRequest direct = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.inboundPort() + "/"))
                        .timeout(Duration.ofSeconds(10))
                        .build();
                assertThatThrownBy(() -> plain.send(direct, HttpResponse.BodyHandlers.ofString()))
                        .as("plaintext straight to the STRICT server sidecar")
                        .isInstanceOf(IOException.class);
            }
        }
    }

    private static ZonemeshProxy proxy(FixedAddressMesh mesh, BenchCa ca, String pod, boolean inbound) {
        return ZonemeshProxy.builder()
                .xdsServer("127.0.0.1:" + mesh.xdsPort())
                .node(NodeIdentity.sidecar(pod, "bench", pod))
                .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .inboundAddress(inbound ? new InetSocketAddress("127.0.0.1", 0) : null)
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .ca(ca.clientOptions(mesh.pod("bench", pod), mesh.caPort()))
                .ioThreads(1)
                .build()
                .start();
    }
}
