package io.zonemesh.xds;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.xds.cluster.Protos;
import io.zonemesh.xds.route.RetryPolicies;
import io.zonemesh.xds.route.RouteMatches;
import io.zonemesh.xds.scope.Hostnames;
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
     * One virtual host per visible service and HTTP port (UNKNOWN counts as HTTP for now), in host
     * name order, then one per mesh VirtualService host that names no visible service, on port 80
     * (Istio routes such hosts, e.g. an external name, only on the HTTP port). A domain already
     * claimed by an earlier virtual host is left out of later ones: Envoy rejects a route
     * configuration with a duplicate domain.
     */
    static RouteConfiguration httpProxy(OutboundScope scope) {
        RouteConfiguration.Builder config =
                RouteConfiguration.newBuilder().setName(HTTP_PROXY).setValidateClusters(BoolValue.of(false));
        Set<String> claimed = new HashSet<>();
        for (Service s : scope.services) {
            for (ServicePort port : s.ports()) {
                if (!isHttp(port)) {
                    continue;
                }
                List<String> domains = unclaimed(
                        claimed,
                        VirtualHostDomains.of(
                                s,
                                port.port(),
                                scope.proxy.namespace(),
                                scope.state.settings().domainSuffix()));
                if (domains.isEmpty()) {
                    // Every domain is taken, which also covers a port number listed twice.
                    continue;
                }
                config.addVirtualHosts(VirtualHost.newBuilder()
                        .setName(s.hostname() + ":" + port.port())
                        .addAllDomains(domains)
                        .addAllRoutes(serviceRoutes(scope, s, port.port())));
            }
        }
        for (VirtualServiceConfig vs : scope.virtualServices.meshBound(scope.proxy.namespace())) {
            for (String host : scope.virtualServices.hosts(vs)) {
                if (namesAService(scope, host)) {
                    continue;
                }
                List<String> domains = new ArrayList<>(
                        VirtualHostDomains.withPort(List.of(host), VirtualHostDomains.DEFAULT_HTTP_PORT));
                domains.removeAll(claimed);
                List<Route> routes = domains.isEmpty()
                        ? List.of()
                        : VirtualServiceRoutes.render(
                                scope, vs, RouteContext.mesh(VirtualHostDomains.DEFAULT_HTTP_PORT));
                if (!routes.isEmpty()) {
                    claimed.addAll(domains);
                    config.addVirtualHosts(VirtualHost.newBuilder()
                            .setName(host + ":" + VirtualHostDomains.DEFAULT_HTTP_PORT)
                            .addAllDomains(domains)
                            .addAllRoutes(routes));
                }
            }
        }
        return config.build();
    }

    /** HTTP-ish ports get virtual hosts; UNKNOWN counts as HTTP for now. */
    static boolean isHttp(ServicePort port) {
        return port.protocol().isHttp() || port.protocol() == Protocol.UNKNOWN;
    }

    /**
     * The routes of a service port: its VirtualService's, else (none, or none applies to this port
     * or proxy) Istio's default route.
     */
    static List<Route> serviceRoutes(OutboundScope scope, Service service, int port) {
        VirtualServiceConfig vs = scope.virtualServices.find(scope.proxy.namespace(), service.hostname());
        if (vs != null) {
            List<Route> routes = VirtualServiceRoutes.render(scope, vs, RouteContext.mesh(port));
            if (!routes.isEmpty()) {
                return routes;
            }
        }
        String cluster = ClusterNames.outbound(port, null, service.hostname());
        OutboundCluster target = scope.cluster(cluster);
        List<RouteAction.HashPolicy> hash = HashPolicies.of(target == null ? null : target.policy.loadBalancer());
        if (scope.grpc()) {
            hash = hash.stream().filter(RouteAction.HashPolicy::hasHeader).toList();
            return List.of(defaultRoute(cluster, hash));
        }
        // Istio's BuildDefaultHTTPOutboundRoute carries the mesh's default retry policy too (LOCALITY.md
        // §4.4): a refused connection or a 503 is retried on another host, which after an ejection is
        // the next priority, so losing a zone costs no failed request.
        Route route = defaultRoute(cluster, hash);
        RetryPolicy retry = RetryPolicies.of(null, !hash.isEmpty());
        return List.of(route.toBuilder()
                .setRoute(route.getRoute().toBuilder().setRetryPolicy(retry))
                .build());
    }

    /** Prefix {@code /} to one cluster with no route timeout, Istio's default route. */
    static Route defaultRoute(String cluster, List<RouteAction.HashPolicy> hashPolicies) {
        return Route.newBuilder()
                .setName("default")
                .setMatch(RouteMatches.catchAll())
                .setRoute(RouteAction.newBuilder()
                        .setCluster(cluster)
                        .setTimeout(Protos.duration(Duration.ZERO))
                        .addAllHashPolicy(hashPolicies))
                .build();
    }

    /**
     * Istio's {@code separateVSHostsAndServices}: an exact host is a service host when a visible
     * service has that name; a wildcard when it matches any visible service.
     */
    private static boolean namesAService(OutboundScope scope, String host) {
        for (Service s : scope.services) {
            if (Hostnames.matches(host, s.hostname())) {
                return true;
            }
        }
        return false;
    }

    static List<String> unclaimed(Set<String> claimed, List<String> domains) {
        List<String> out = new ArrayList<>();
        for (String d : domains) {
            if (claimed.add(d)) {
                out.add(d);
            }
        }
        return out;
    }
}
