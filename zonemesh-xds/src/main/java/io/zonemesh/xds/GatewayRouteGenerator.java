package io.zonemesh.xds;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.xds.route.RouteMatches;
import io.zonemesh.xds.scope.Hostnames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * RDS for gateway proxies, Istio's {@code buildGatewayHTTPRouteConfig}: for each route name, the
 * VirtualServices bound to the servers' gateways, one virtual host per host both the server and
 * the VirtualService name (the more specific of the two), with that VirtualService's routes.
 */
final class GatewayRouteGenerator {
    private GatewayRouteGenerator() {}

    static List<RouteConfiguration> generate(OutboundScope scope, List<GatewayServers.Port> ports) {
        Map<String, List<GatewayServers.Bound>> byRoute = new LinkedHashMap<>();
        for (GatewayServers.Port port : ports) {
            for (GatewayServers.Bound b : port.servers()) {
                if (b.passthrough()) {
                    continue; // AUTO_PASSTHROUGH chains proxy TCP: no routes
                }
                byRoute.computeIfAbsent(b.routeName(), n -> new ArrayList<>()).add(b);
            }
        }
        List<RouteConfiguration> out = new ArrayList<>();
        byRoute.forEach((name, servers) -> out.add(routeConfiguration(scope, name, servers)));
        return out;
    }

    private static RouteConfiguration routeConfiguration(
            OutboundScope scope, String name, List<GatewayServers.Bound> servers) {
        int port = servers.get(0).server().port();
        // host -> virtual host under construction; TreeMap so the collapse below is in host order.
        Map<String, VirtualHost.Builder> byHost = new TreeMap<>();
        Map<String, List<Route>> routesByGatewayAndVs = new HashMap<>();
        for (GatewayServers.Bound b : servers) {
            boolean httpsRedirect = b.server().tls() != null && b.server().tls().httpsRedirect();
            for (VirtualServiceConfig vs : scope.virtualServices.boundTo(b.gatewayName(), scope.proxy.namespace())) {
                List<String> hosts = Hostnames.intersection(
                        Hostnames.namesForNamespace(
                                b.server().hosts(), vs.meta().namespace()),
                        scope.virtualServices.hosts(vs));
                if (hosts.isEmpty()) {
                    continue;
                }
                List<Route> routes = routesByGatewayAndVs.computeIfAbsent(
                        b.gatewayName() + "|" + vs.meta().ref(),
                        k -> VirtualServiceRoutes.render(
                                scope, vs, new RouteContext(port, Set.of(b.gatewayName()), b.https())));
                if (routes.isEmpty()) {
                    continue;
                }
                for (String host : hosts) {
                    VirtualHost.Builder vhost = byHost.computeIfAbsent(
                            host,
                            h -> VirtualHost.newBuilder()
                                    .setName(h + ":" + port)
                                    .addDomains(h));
                    vhost.addAllRoutes(routes);
                    if (httpsRedirect) {
                        vhost.setRequireTls(VirtualHost.TlsRequirementType.ALL);
                    }
                }
            }
            if (httpsRedirect) {
                // A redirect-only host still needs a virtual host to answer with the redirect.
                for (String written : b.server().hosts()) {
                    String host = written.substring(written.indexOf('/') + 1).toLowerCase(Locale.ROOT);
                    byHost.computeIfAbsent(
                                    host,
                                    h -> VirtualHost.newBuilder()
                                            .setName(h + ":" + port)
                                            .addDomains(h))
                            .setRequireTls(VirtualHost.TlsRequirementType.ALL);
                }
            }
        }
        RouteConfiguration.Builder config = RouteConfiguration.newBuilder()
                .setName(name)
                .setValidateClusters(BoolValue.of(false))
                // Clients send the gateway's public port (or none); Istio matches gateway hosts without it.
                .setIgnorePortInHostMatching(true);
        if (byHost.isEmpty()) {
            // Istio's blackhole: answer 404 (NR) rather than have no virtual host at all.
            return config.addVirtualHosts(VirtualHost.newBuilder()
                            .setName("blackhole:" + port)
                            .addDomains("*"))
                    .build();
        }
        List<VirtualHost> vhosts = collapse(byHost);
        vhosts.sort(Comparator.comparing(VirtualHost::getName));
        return config.addAllVirtualHosts(vhosts).build();
    }

    /**
     * Istio's {@code collapseDuplicateRoutes}: hosts with identical routes and TLS requirement share
     * one virtual host (named after the first host in order) instead of repeating the routes. Each
     * host's routes are also put in Istio's order: catch-alls after every other route.
     */
    private static List<VirtualHost> collapse(Map<String, VirtualHost.Builder> byHost) {
        List<VirtualHost.Builder> out = new ArrayList<>();
        for (VirtualHost.Builder vhost : byHost.values()) {
            List<Route> sorted = catchAllLast(vhost.getRoutesList());
            vhost.clearRoutes().addAllRoutes(sorted);
            VirtualHost.Builder same = null;
            for (VirtualHost.Builder earlier : out) {
                if (earlier.getRoutesList().equals(sorted) && earlier.getRequireTls() == vhost.getRequireTls()) {
                    same = earlier;
                    break;
                }
            }
            if (same != null) {
                same.addAllDomains(vhost.getDomainsList());
            } else {
                out.add(vhost);
            }
        }
        List<VirtualHost> built = new ArrayList<>();
        out.forEach(v -> built.add(v.build()));
        return built;
    }

    private static List<Route> catchAllLast(List<Route> routes) {
        List<Route> out = new ArrayList<>();
        List<Route> catchAll = new ArrayList<>();
        for (Route r : routes) {
            (RouteMatches.isCatchAll(r.getMatch()) ? catchAll : out).add(r);
        }
        out.addAll(catchAll);
        return out;
    }
}
