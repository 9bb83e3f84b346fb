package io.zonemesh.proxy.admin;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.testing.EnvoyResources;
import io.zonemesh.proxy.testing.MeshFixture;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.xds.ResourceType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin port over a real socket: {@code /config_dump} of whatever the proxy accepted. */
@ExtendWith(NettyLeakCheck.class)
class AdminEndToEndTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private final MeshFixture mesh = new MeshFixture("AdminEndToEndTest", 1);

    @AfterEach
    void tearDown() {
        mesh.close();
    }

    @Test
    void dumpsAnOptionalFilterAndAnswersPipelinedRequestsInOrder() {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix("outbound")
                .setRds(Rds.newBuilder().setConfigSource(EnvoyResources.ads()).setRouteConfigName("http_proxy"))
                .addHttpFilters(HttpFilter.newBuilder()
                        .setName("envoy.filters.http.cors")
                        .setIsOptional(true)
                        .setTypedConfig(Any.pack(Cors.getDefaultInstance())))
                .addHttpFilters(EnvoyResources.router())
                .build();
        mesh.ads.set(ResourceType.CLUSTER, "1", edsCluster(HELLO).build());
        mesh.ads.set(ResourceType.ENDPOINT, "1", cla(HELLO, locality("r", "z", 0, "127.0.0.1:5000")));
        mesh.ads.set(
                ResourceType.LISTENER, "1", EnvoyResources.listener("virtualOutbound", TrafficDirection.OUTBOUND, hcm));
        mesh.ads.set(
                ResourceType.ROUTE, "1", routeConfig("http_proxy", virtualHost("hello", List.of("hello:5000"), HELLO)));
        ZonemeshProxy proxy = mesh.start();

        try (RawHttpClient admin = RawHttpClient.connect(proxy.adminPort())) {
            // The first dump of a JVM waits for the type registry; /ready must still come second.
            admin.write("GET /config_dump HTTP/1.1\r\nHost: admin\r\n\r\n"
                    + "GET /ready HTTP/1.1\r\nHost: admin\r\n\r\n"
                    + "GET /config_dump?include_eds HTTP/1.1\r\nHost: admin\r\n\r\n"
                    + "GET /zonemesh/failover_events HTTP/1.1\r\nHost: admin\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: admin\r\n\r\n");
            RawHttpClient.Response dump = admin.read();
            RawHttpClient.Response ready = admin.read();
            RawHttpClient.Response withEds = admin.read();
            RawHttpClient.Response failovers = admin.read();
            RawHttpClient.Response help = admin.read();

            assertThat(dump.status()).as(dump.body()).isEqualTo(200);
            assertThat(dump.body())
                    .contains("\"@type\": \"type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors\"")
                    .doesNotContain("EndpointsConfigDump");
            assertThat(ready.body()).isEqualTo("LIVE\n");
            assertThat(withEds.body())
                    .contains("\"dynamic_endpoint_configs\"")
                    .contains("\"cluster_name\": \"" + HELLO + "\"");
            assertThat(failovers.status()).isEqualTo(200);
            assertThat(failovers.body()).contains("\"events\": [");
            assertThat(help.body()).contains("/zonemesh/failover_events: ");
        }
    }
}
