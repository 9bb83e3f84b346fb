package io.zonemesh.proxy.testing;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.Arrays;
import java.util.List;

/** Envoy resources shaped as docs/XDS_SHAPES.md describes, for tests. */
public final class EnvoyResources {
    public static final String OUTBOUND = "virtualOutbound";
    public static final String INBOUND = "virtualInbound";
    public static final String HTTP_PROXY = "http_proxy";

    private EnvoyResources() {}

    public static ConfigSource ads() {
        return ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)
                .build();
    }

    public static HttpFilter router() {
        return HttpFilter.newBuilder()
                .setName("envoy.filters.http.router")
                .setTypedConfig(Any.pack(Router.getDefaultInstance()))
                .build();
    }

    public static Listener listener(String name, TrafficDirection direction, HttpConnectionManager hcm) {
        return Listener.newBuilder()
                .setName(name)
                .setTrafficDirection(direction)
                .setAddress(Address.newBuilder()
                        .setSocketAddress(SocketAddress.newBuilder()
                                .setAddress("0.0.0.0")
                                .setPortValue(direction == TrafficDirection.INBOUND ? 15006 : 15001)))
                .addFilterChains(FilterChain.newBuilder()
                        .addFilters(Filter.newBuilder()
                                .setName("envoy.filters.network.http_connection_manager")
                                .setTypedConfig(Any.pack(hcm))))
                .build();
    }

    /** {@code virtualOutbound} with RDS {@code http_proxy}. */
    public static Listener outboundListener() {
        return listener(
                OUTBOUND,
                TrafficDirection.OUTBOUND,
                HttpConnectionManager.newBuilder()
                        .setStatPrefix("outbound")
                        .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName(HTTP_PROXY))
                        .addHttpFilters(router())
                        .build());
    }

    /** {@code virtualInbound} with an inline route config: {@code *:<port>} hosts, then {@code *}. */
    public static Listener inboundListener(int... ports) {
        RouteConfiguration.Builder routes = RouteConfiguration.newBuilder().setName("inbound|http");
        for (int port : ports) {
            routes.addVirtualHosts(virtualHost("inbound|http|" + port, List.of("*:" + port), "inbound|" + port + "||"));
        }
        routes.addVirtualHosts(virtualHost("inbound|http|default", List.of("*"), "inbound|" + ports[0] + "||"));
        return listener(
                INBOUND,
                TrafficDirection.INBOUND,
                HttpConnectionManager.newBuilder()
                        .setStatPrefix("inbound")
                        .setRouteConfig(routes)
                        .addHttpFilters(router())
                        .build());
    }

    public static RouteConfiguration routeConfig(String name, VirtualHost... hosts) {
        return RouteConfiguration.newBuilder()
                .setName(name)
                .addAllVirtualHosts(List.of(hosts))
                .setValidateClusters(BoolValue.of(false))
                .build();
    }

    /** A virtual host routing prefix {@code /} to {@code cluster} with Istio's {@code timeout: 0s}. */
    public static VirtualHost virtualHost(String name, List<String> domains, String cluster) {
        return VirtualHost.newBuilder()
                .setName(name)
                .addAllDomains(domains)
                .addRoutes(Route.newBuilder()
                        .setName("default")
                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(RouteAction.newBuilder().setCluster(cluster).setTimeout(seconds(0))))
                .build();
    }

    /** An EDS cluster over ADS with Envoy's defaults otherwise. */
    public static Cluster.Builder edsCluster(String name) {
        return Cluster.newBuilder()
                .setName(name)
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                        .setServiceName(name)
                        .setEdsConfig(ads()))
                .setConnectTimeout(seconds(10))
                .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
    }

    public static Cluster staticCluster(String name, String address, int port) {
        return Cluster.newBuilder()
                .setName(name)
                .setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(seconds(10))
                .setLoadAssignment(ClusterLoadAssignment.newBuilder()
                        .setClusterName(name)
                        .addEndpoints(LocalityLbEndpoints.newBuilder()
                                .setLoadBalancingWeight(UInt32Value.of(1))
                                .addLbEndpoints(endpoint(address, port))))
                .build();
    }

    public static ClusterLoadAssignment cla(String cluster, LocalityLbEndpoints... groups) {
        return ClusterLoadAssignment.newBuilder()
                .setClusterName(cluster)
                .addAllEndpoints(List.of(groups))
                .build();
    }

    /** One locality at one priority with the given {@code host:port} endpoints. */
    public static LocalityLbEndpoints locality(String region, String zone, int priority, String... hostPorts) {
        LocalityLbEndpoints.Builder group = LocalityLbEndpoints.newBuilder()
                .setLocality(Locality.newBuilder().setRegion(region).setZone(zone))
                .setPriority(priority)
                .setLoadBalancingWeight(UInt32Value.of(hostPorts.length));
        for (String hostPort : hostPorts) {
            int colon = hostPort.lastIndexOf(':');
            group.addLbEndpoints(
                    endpoint(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
        }
        return group.build();
    }

    public static LbEndpoint endpoint(String address, int port) {
        return LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder()
                        .setAddress(Address.newBuilder()
                                .setSocketAddress(SocketAddress.newBuilder()
                                        .setAddress(address)
                                        .setPortValue(port))))
                .setHealthStatus(HealthStatus.HEALTHY)
                .setLoadBalancingWeight(UInt32Value.of(1))
                .build();
    }

    public static Duration seconds(long seconds) {
        return Duration.newBuilder().setSeconds(seconds).build();
    }

    public static Duration millis(long millis) {
        return Duration.newBuilder()
                .setSeconds(millis / 1000)
                .setNanos((int) (millis % 1000) * 1_000_000)
                .build();
    }

    public static List<Any> anys(Message... messages) {
        return Arrays.stream(messages).map(Any::pack).toList();
    }
}
