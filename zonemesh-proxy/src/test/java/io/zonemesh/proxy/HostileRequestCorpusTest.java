package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.testing.EnvoyResources;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ProxyType;
import io.zonemesh.proxy.xds.ResourceType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the hostile HTTP/1.1 corpus ({@code src/test/resources/corpus/http1}, RELIABILITY.md
 * test #1) over real sockets against a sidecar's outbound listener and a gateway's listener from
 * xDS: every case gets Envoy's answers in order, an error closes the connection, and no more
 * requests than the table allows reach the upstream (none for smuggling: the {@code /smuggled}
 * request hidden behind a body must never be forwarded).
 */
@ExtendWith(NettyLeakCheck.class)
class HostileRequestCorpusTest {
    private static final String CORPUS = "/corpus/http1/";
    private static final String GATEWAY_LISTENER = "0.0.0.0_8080";
    private static final String GATEWAY_HOST = "shop.example.com";
    private static EventLoopGroup group;
    private static ProxyFixture sidecar;
    private static ProxyFixture gateway;

    /** One row of {@code expected.tsv}. */
    record Case(String name, List<Integer> statuses, int maxUpstreamRequests, String reference) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("HostileRequestCorpusTest"));
        sidecar = new ProxyFixture(group, b -> b).start(ProxyFixture.cluster().build());
        gateway = new ProxyFixture(
                        group,
                        b -> b.node(NodeIdentity.sidecar("gw-1", "istio-system", "ingressgateway")
                                .withProxyType(ProxyType.ROUTER)))
                .start(ProxyFixture.cluster().build());
        gateway.ads.set(ResourceType.LISTENER, "2", outboundListener(), gatewayListener());
        gateway.ads.set(
                ResourceType.ROUTE,
                "2",
                routeConfig("http_proxy", virtualHost("hello", List.of(ProxyFixture.AUTHORITY), ProxyFixture.CLUSTER)),
                routeConfig("http.8080", virtualHost("shop", List.of(GATEWAY_HOST), ProxyFixture.CLUSTER)).toBuilder()
                        .setIgnorePortInHostMatching(true)
                        .build());
        await().atMost(ProxyFixture.WAIT).until(() -> gateway.proxy.listenerPort(GATEWAY_LISTENER) > 0);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (sidecar != null) {
            sidecar.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A gateway listener as the control plane emits one, bound at 127.0.0.1 port 0 for the test. */
    private static Listener gatewayListener() {
        return EnvoyResources.listener(
                        GATEWAY_LISTENER,
                        TrafficDirection.OUTBOUND,
                        HttpConnectionManager.newBuilder()
                                .setStatPrefix("outbound_0.0.0.0_8080")
                                .setRds(Rds.newBuilder()
                                        .setConfigSource(EnvoyResources.ads())
                                        .setRouteConfigName("http.8080"))
                                .addHttpFilters(EnvoyResources.router())
                                .build())
                .toBuilder()
                .setAddress(Address.newBuilder()
                        .setSocketAddress(SocketAddress.newBuilder()
                                .setAddress("127.0.0.1")
                                .setPortValue(0)))
                .build();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Case c : expected()) {
            out.add(Arguments.of("sidecar", c));
            out.add(Arguments.of("gateway", c));
        }
        return out.stream();
    }

    static List<Case> expected() {
        List<Case> cases = new ArrayList<>();
        for (String line : resource("expected.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t");
            cases.add(new Case(
                    columns[0],
                    Arrays.stream(columns[1].split(",")).map(Integer::valueOf).toList(),
                    Integer.parseInt(columns[2]),
                    columns[3]));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void answersAsEnvoyAndForwardsNothingSmuggled(String listener, Case hostile) {
        boolean toGateway = listener.equals("gateway");
        ProxyFixture fixture = toGateway ? gateway : sidecar;
        int port = toGateway ? gateway.proxy.listenerPort(GATEWAY_LISTENER) : sidecar.port();
        String host = toGateway ? GATEWAY_HOST : ProxyFixture.AUTHORITY;
        int upstreamBefore = fixture.upstream.requests();

        try (RawHttpClient client = RawHttpClient.connect(port)) {
            client.write(requestBytes(hostile.name(), host));
            for (int expectedStatus : hostile.statuses()) {
                Response response = client.read();
                assertThat(response.status()).as(hostile.reference()).isEqualTo(expectedStatus);
            }
            if (hostile.statuses().get(hostile.statuses().size() - 1) >= 400) {
                assertThat(client.closedByPeer())
                        .as("connection closed after the error")
                        .isTrue();
            }
        }

        int forwarded = fixture.upstream.requests() - upstreamBefore;
        assertThat(forwarded).as("requests forwarded upstream").isLessThanOrEqualTo(hostile.maxUpstreamRequests());
        if (hostile.statuses().get(0) == 200) {
            assertThat(forwarded).isGreaterThanOrEqualTo(1);
        }
    }

    /**
     * A corpus file's bytes: its line breaks are only layout; {@code \r \n \t \0 \xHH \\} are
     * escapes and {@code {host}} the listener's virtual host.
     */
    static String requestBytes(String name, String host) {
        String text = resource(name + ".http").replace("\n", "").replace("{host}", host);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char escaped = text.charAt(++i);
            switch (escaped) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '0' -> out.append('\0');
                case 'x' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.append(escaped);
            }
        }
        return out.toString();
    }

    private static String resource(String name) {
        try (InputStream in = HostileRequestCorpusTest.class.getResourceAsStream(CORPUS + name)) {
            if (in == null) {
                throw new IllegalStateException("missing corpus file " + CORPUS + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
