package io.zonemesh.xds;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.Service;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpMatch;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpRoute;
import io.zonemesh.model.istio.VirtualServiceConfig.RouteDestination;
import io.zonemesh.model.istio.VirtualServiceConfig.StringMatch;
import io.zonemesh.xds.cluster.Protos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The subset of VirtualService HTTP routing rendered so far: rules whose matches are only a URI
 * prefix or exact match (or nothing, a catch-all), routing to weighted destinations with
 * subsets, with an optional timeout. A VirtualService using anything else that changes where a
 * request goes (header, method, authority, query or source matches; regex URIs; redirects) is not
 * rendered at all and the host keeps its default route, so a rule is never applied half-way.
 * Retries, fault injection, rewrites, mirrors and header edits are not rendered yet.
 */
final class VirtualServiceRoutes {
    private VirtualServiceRoutes() {}

    /** The routes for one virtual host, or null when the VirtualService cannot be rendered. */
    static @Nullable List<Route> render(OutboundScope scope, VirtualServiceConfig vs, int vhostPort) {
        List<Route> out = new ArrayList<>();
        for (HttpRoute rule : vs.http()) {
            if (rule.redirect() != null || rule.route().isEmpty()) {
                return null;
            }
            List<RouteMatch> matches = new ArrayList<>();
            if (rule.match().isEmpty()) {
                matches.add(RouteMatch.newBuilder().setPrefix("/").build());
            }
            for (HttpMatch m : rule.match()) {
                if (!onlyUri(m)) {
                    return null;
                }
                if (m.port() == null || m.port() == vhostPort) {
                    matches.add(routeMatch(m));
                }
            }
            RouteAction action = action(scope, vs, rule, vhostPort);
            for (RouteMatch match : matches) {
                Route.Builder route = Route.newBuilder().setMatch(match).setRoute(action);
                if (rule.name() != null) {
                    route.setName(rule.name());
                }
                out.add(route.build());
            }
        }
        return out;
    }

    private static boolean onlyUri(HttpMatch m) {
        boolean uriOk = m.uri() == null || m.uri().kind() == StringMatch.Kind.EXACT
                || m.uri().kind() == StringMatch.Kind.PREFIX;
        return uriOk && m.method() == null && m.authority() == null && m.scheme() == null
                && m.headers().isEmpty() && m.queryParams().isEmpty() && m.sourceLabels().isEmpty()
                && m.gateways().isEmpty() && m.sourceNamespace() == null;
    }

    private static RouteMatch routeMatch(HttpMatch m) {
        RouteMatch.Builder match = RouteMatch.newBuilder();
        if (m.uri() == null) {
            match.setPrefix("/");
        } else if (m.uri().kind() == StringMatch.Kind.EXACT) {
            match.setPath(m.uri().value());
        } else {
            match.setPrefix(m.uri().value());
        }
        if (m.ignoreUriCase()) {
            match.setCaseSensitive(BoolValue.of(false));
        }
        return match.build();
    }

    private static RouteAction action(OutboundScope scope, VirtualServiceConfig vs, HttpRoute rule, int vhostPort) {
        List<RouteDestination> destinations = new ArrayList<>();
        for (RouteDestination d : rule.route()) {
            // Istio drops zero-weight destinations of a split; a single destination takes everything.
            if (d.weight() > 0 || rule.route().size() == 1) {
                destinations.add(d);
            }
        }
        RouteAction.Builder action = RouteAction.newBuilder()
                .setTimeout(Protos.duration(rule.timeout() == null ? Duration.ZERO : rule.timeout()));
        if (destinations.size() == 1) {
            String cluster = clusterName(scope, vs, destinations.get(0), vhostPort);
            action.setCluster(cluster);
            OutboundCluster target = scope.cluster(cluster);
            action.addAllHashPolicy(HashPolicies.of(target == null ? null : target.policy.loadBalancer()));
            return action.build();
        }
        WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
        for (RouteDestination d : destinations) {
            weighted.addClusters(WeightedCluster.ClusterWeight.newBuilder()
                    .setName(clusterName(scope, vs, d, vhostPort))
                    .setWeight(Protos.uint32(d.weight())));
        }
        return action.setWeightedClusters(weighted).build();
    }

    /** The destination port, else the service's only port, else the port the request came in on. */
    private static String clusterName(OutboundScope scope, VirtualServiceConfig vs, RouteDestination d,
            int vhostPort) {
        String host = scope.virtualServices.resolve(vs, d.destination().host());
        Integer port = d.destination().port();
        if (port == null) {
            Service target = scope.service(host);
            port = target != null && target.ports().size() == 1 ? target.ports().get(0).port() : vhostPort;
        }
        return ClusterNames.outbound(port, d.destination().subset(), host);
    }
}
