package io.zonemesh.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.zonemesh.proxy.testing.EnvoyResources;
import io.zonemesh.proxy.xds.ResourceType;
import io.zonemesh.proxy.xds.XdsResources;
import io.zonemesh.proxy.xds.XdsResourcesFixture;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigDumpPageTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";

    @Test
    void registryHoldsEveryMessageFileOfTheEnvoyApi() {
        Set<String> registered = EnvoyTypeRegistry.apiFiles().stream()
                .map(Descriptors.FileDescriptor::getName)
                .collect(Collectors.toSet());
        // Every .proto of the API artifact that declares messages; annotation files declare
        // options only (and udpa/xds "annotations" packages have no message a config can carry).
        List<String> apiProtos = EnvoyTypeRegistry.entryNames(EnvoyTypeRegistry.codeLocation()).stream()
                .filter(n -> n.endsWith(".proto"))
                .filter(n -> n.startsWith("envoy/") || n.startsWith("xds/") || n.startsWith("udpa/"))
                .filter(n -> !n.contains("/annotations/"))
                .toList();
        assertThat(apiProtos).hasSizeGreaterThan(500);
        assertThat(registered).containsAll(apiProtos);
    }

    @Test
    void dumpsAnOptionalHttpFilterOfATypeTheProxyDoesNotImplement() throws Exception {
        // The proxy accepts any optional filter and keeps it in the listener; the dump must print it.
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix("outbound")
                .setRds(Rds.newBuilder().setConfigSource(EnvoyResources.ads()).setRouteConfigName("http_proxy"))
                .addHttpFilters(HttpFilter.newBuilder()
                        .setName("envoy.filters.http.cors")
                        .setIsOptional(true)
                        .setTypedConfig(Any.pack(Cors.getDefaultInstance())))
                .addHttpFilters(HttpFilter.newBuilder()
                        .setName("envoy.filters.http.fault")
                        .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())))
                .addHttpFilters(EnvoyResources.router())
                .build();
        VirtualHost host = EnvoyResources.virtualHost("helloworld:5000", List.of("helloworld:5000"), HELLO).toBuilder()
                .putTypedPerFilterConfig(
                        "envoy.filters.http.fault",
                        Any.pack(HTTPFault.newBuilder()
                                .setAbort(io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort.newBuilder()
                                        .setHttpStatus(503)
                                        .setPercentage(
                                                FractionalPercent.newBuilder().setNumerator(100)))
                                .build()))
                .build();
        XdsResources resources = XdsResourcesFixture.builder()
                .set(ResourceType.CLUSTER, "1", EnvoyResources.edsCluster(HELLO).build())
                .set(
                        ResourceType.ENDPOINT,
                        "1",
                        EnvoyResources.cla(HELLO, EnvoyResources.locality("r", "az01", 0, "127.0.0.1:5000")))
                .set(
                        ResourceType.LISTENER,
                        "1",
                        EnvoyResources.listener("virtualOutbound", TrafficDirection.OUTBOUND, hcm))
                .set(
                        ResourceType.ROUTE,
                        "1",
                        RouteConfiguration.newBuilder()
                                .setName("http_proxy")
                                .addVirtualHosts(host)
                                .build())
                .build();

        String json = ConfigDumpPage.json(ConfigDumpPage.configDump(resources, true), registry());

        assertThat(json)
                .contains("\"@type\": \"type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors\"")
                .contains("\"http_status\": 503")
                .contains("\"dynamic_endpoint_configs\"");
    }

    @Test
    void endpointAssignmentsOnlyWithIncludeEds() throws Exception {
        XdsResources resources = XdsResourcesFixture.builder()
                .set(ResourceType.CLUSTER, "1", EnvoyResources.edsCluster(HELLO).build())
                .set(
                        ResourceType.ENDPOINT,
                        "1",
                        EnvoyResources.cla(HELLO, EnvoyResources.locality("r", "az01", 0, "127.0.0.1:5000")))
                .build();

        ConfigDump without = ConfigDumpPage.configDump(resources, false);
        ConfigDump with = ConfigDumpPage.configDump(resources, true);

        assertThat(without.getConfigsList())
                .extracting(Any::getTypeUrl)
                .containsExactly(
                        "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
                        "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
                        "type.googleapis.com/envoy.admin.v3.RoutesConfigDump");
        assertThat(with.getConfigsList())
                .extracting(Any::getTypeUrl)
                .containsExactly(
                        "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
                        "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump",
                        "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
                        "type.googleapis.com/envoy.admin.v3.RoutesConfigDump");
        assertThat(ConfigDumpPage.json(with, registry())).contains("\"cluster_name\": \"" + HELLO + "\"");
    }

    private static JsonFormat.TypeRegistry registry() throws Exception {
        return EnvoyTypeRegistry.get().get(60, TimeUnit.SECONDS);
    }
}
