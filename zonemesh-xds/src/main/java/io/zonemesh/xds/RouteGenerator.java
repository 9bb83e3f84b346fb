package io.zonemesh.xds;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.xds.cluster.Protos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** RDS: the {@code http_proxy} RouteConfiguration of a proxy group (docs/XDS_SHAPES.md). */
final class RouteGenerator {
    static final String HTTP_PROXY = "http_proxy";

    private RouteGenerator() {}

    /**
     * One virtual host per visible service and HTTP port (UNKNOWN counts as HTTP for now), sorted by
     * name. A domain already claimed by an earlier virtual host is left out of later ones: Envoy
     * rejects a route configuration with a duplicate domain.
     */
    static RouteConfiguration httpProxy(OutboundScope scope) {
        RouteConfiguration.Builder config = RouteConfiguration.newBuilder()
                .setName(HTTP_PROXY)
                .setValidateClusters(BoolValue.of(false));
        Set<String> claimed = new HashSet<>();
        for (Service s : scope.services) {
            for (ServicePort port : s.ports()) {
                if (!(port.protocol().isHttp() || port.protocol() == Protocol.UNKNOWN)) {
                    continue;
                }
                List<String> domains = new ArrayList<>();
                for (String d : VirtualHostDomains.of(s, port.port(), scope.proxy.namespace(),
                        scope.state.settings().domainSuffix())) {
                    if (claimed.add(d)) {
                        domains.add(d);
                    }
                }
                if (domains.isEmpty()) {
                    // Every domain is taken, which also covers a port number listed twice.
                    continue;
                }
                config.addVirtualHosts(VirtualHost.newBuilder()
                        .setName(s.hostname() + ":" + port.port())
                        .addAllDomains(domains)
                        .addAllRoutes(routes(scope, s, port.port())));
            }
        }
        return config.build();
    }

    private static List<Route> routes(OutboundScope scope, Service service, int port) {
        VirtualServiceConfig vs = scope.virtualServices.find(scope.proxy.namespace(), service.hostname());
        if (vs != null) {
            List<Route> routes = VirtualServiceRoutes.render(scope, vs, port);
            if (routes != null && !routes.isEmpty()) {
                return routes;
            }
        }
        String cluster = ClusterNames.outbound(port, null, service.hostname());
        OutboundCluster target = scope.cluster(cluster);
        return List.of(defaultRoute(cluster, HashPolicies.of(target == null ? null : target.policy.loadBalancer())));
    }

    /** Prefix {@code /} to one cluster with no route timeout, Istio's default route. */
    static Route defaultRoute(String cluster, List<RouteAction.HashPolicy> hashPolicies) {
        return Route.newBuilder()
                .setName("default")
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder()
                        .setCluster(cluster)
                        .setTimeout(Protos.duration(Duration.ZERO))
                        .addAllHashPolicy(hashPolicies))
                .build();
    }
}
