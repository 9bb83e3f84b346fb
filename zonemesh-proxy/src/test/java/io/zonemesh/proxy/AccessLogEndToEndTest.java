package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.ads;
import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.listener;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.router;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.MeshFixture;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.xds.ResourceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Access logs configured over LDS, as istiod puts them on every HCM when meshConfig turns them on. */
@ExtendWith(NettyLeakCheck.class)
class AccessLogEndToEndTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String AUTHORITY = "helloworld.sample:5000";
    /** Istio's EnvoyTextLogFormat. */
    private static final String ISTIO_TEXT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
            + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "
            + "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
            + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
            + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER_RAW% "
            + "%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% "
            + "%REQUESTED_SERVER_NAME% %ROUTE_NAME%\n";

    @TempDir
    Path dir;

    private MeshFixture mesh;
    private EchoServer upstream;
    private ZonemeshProxy proxy;

    @BeforeEach
    void setUp() {
        mesh = new MeshFixture("AccessLogEndToEndTest", 1);
        upstream = mesh.server("up");
    }

    @AfterEach
    void tearDown() {
        mesh.close();
    }

    private void start(AccessLog... logs) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix("outbound")
                .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName("http_proxy"))
                .addHttpFilters(router())
                .addAllAccessLog(List.of(logs))
                .build();
        mesh.ads.set(
                ResourceType.CLUSTER,
                "1",
                edsCluster(HELLO).setConnectTimeout(millis(1000)).build());
        mesh.ads.set(ResourceType.ENDPOINT, "1", cla(HELLO, locality("r", "z", 0, upstream.address())));
        mesh.ads.set(ResourceType.LISTENER, "1", listener("virtualOutbound", TrafficDirection.OUTBOUND, hcm));
        mesh.ads.set(
                ResourceType.ROUTE,
                "1",
                routeConfig(
                        "http_proxy",
                        VirtualHost.newBuilder()
                                .setName("hello")
                                .addDomains(AUTHORITY)
                                .addRoutes(Route.newBuilder()
                                        .setName("default")
                                        .setMatch(RouteMatch.newBuilder().setPrefix("/hello"))
                                        .setRoute(RouteAction.newBuilder().setCluster(HELLO)))
                                .build()));
        proxy = mesh.start(b -> b);
    }

    private static AccessLog fileLog(Path path, SubstitutionFormatString format) {
        return AccessLog.newBuilder()
                .setName("envoy.access_loggers.file")
                .setTypedConfig(Any.pack(FileAccessLog.newBuilder()
                        .setPath(path.toString())
                        .setLogFormat(format)
                        .build()))
                .build();
    }

    private static List<String> lines(Path file, int count) {
        return await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(file) ? Files.readAllLines(file) : List.<String>of(), l -> l.size() >= count);
    }

    @Test
    void writesIstiosTextLineForEveryRequestWithTheUpstreamAndTheReason() {
        Path file = dir.resolve("access.log");
        start(fileLog(
                file,
                SubstitutionFormatString.newBuilder()
                        .setTextFormatSource(DataSource.newBuilder().setInlineString(ISTIO_TEXT))
                        .build()));

        RawHttpClient.Response ok = RawHttpClient.exchange(
                proxy.outboundPort(),
                "GET /hello?x=1 HTTP/1.1\r\nHost: " + AUTHORITY + "\r\nUser-Agent: curl/8\r\nX-Request-Id: r1\r\n\r\n");
        RawHttpClient.Response missing = RawHttpClient.get(proxy.outboundPort(), "http://" + AUTHORITY + "/nope");

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("x-envoy-upstream-service-time")).matches("\\d+");
        assertThat(missing.status()).isEqualTo(404);
        List<String> lines = lines(file, 2);
        assertThat(lines.get(0))
                .matches(
                        "\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\] \"GET /hello\\?x=1 HTTP/1.1\" 200 - "
                                + "via_upstream - \"-\" 0 \\d+ \\d+ \\d+ \"-\" \"curl/8\" \"r1\" \"helloworld.sample:5000\" "
                                + "\"" + upstream.address() + "\" " + java.util.regex.Pattern.quote(HELLO)
                                + " 127\\.0\\.0\\.1:\\d+ 127\\.0\\.0\\.1:" + proxy.outboundPort()
                                + " 127\\.0\\.0\\.1:\\d+ - default");
        assertThat(lines.get(1))
                .contains("\"GET /nope HTTP/1.1\" 404 NR route_not_found - \"-\" 0 0 ")
                .matches(".* \"-\" - - 127\\.0\\.0\\.1:" + proxy.outboundPort() + " 127\\.0\\.0\\.1:\\d+ - -");
    }

    @Test
    void writesTypedJsonLines() throws Exception {
        Path file = dir.resolve("access.json");
        Struct json = Struct.newBuilder()
                .putFields(
                        "code",
                        Value.newBuilder().setStringValue("%RESPONSE_CODE%").build())
                .putFields(
                        "host",
                        Value.newBuilder().setStringValue("%UPSTREAM_HOST%").build())
                .putFields(
                        "locality",
                        Value.newBuilder().setStringValue("%UPSTREAM_LOCALITY%").build())
                .build();
        start(fileLog(
                file, SubstitutionFormatString.newBuilder().setJsonFormat(json).build()));

        RawHttpClient.get(proxy.outboundPort(), "http://" + AUTHORITY + "/hello");
        RawHttpClient.get(proxy.outboundPort(), "http://" + AUTHORITY + "/nope");

        List<String> lines = lines(file, 2);
        JsonNode ok = new ObjectMapper().readTree(lines.get(0));
        JsonNode notFound = new ObjectMapper().readTree(lines.get(1));
        assertThat(ok.get("code").isInt()).isTrue();
        assertThat(ok.get("code").asInt()).isEqualTo(200);
        assertThat(ok.get("host").asText()).isEqualTo(upstream.address());
        assertThat(ok.get("locality").asText()).isEqualTo("r/z/");
        assertThat(notFound.get("host").isNull()).isTrue();
    }
}
