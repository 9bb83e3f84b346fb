package io.zonemesh.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpMatch;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpRoute;
import io.zonemesh.model.istio.WorkloadSelector;
import io.zonemesh.xds.route.Faults;
import io.zonemesh.xds.route.HeaderEdits;
import io.zonemesh.xds.route.Redirects;
import io.zonemesh.xds.route.RouteMatches;
import io.zonemesh.xds.scope.VirtualServiceLookup;
import java.util.ArrayList;
import java.util.List;

/**
 * The Envoy routes of one VirtualService for one port, Istio's {@code BuildHTTPRoutesForVirtualService}:
 * rules in order, one route per (rule, match) that applies to the port and to the calling proxy
 * ({@code sourceLabels}, {@code sourceNamespace}, {@code gateways}), each with its rule's action,
 * stopping after the first catch-all. A route that would make the configuration invalid (unknown
 * destination, uncompilable regex, unsupported redirect code, weights not summing to 100) is left
 * out and recorded as a warning, as Istio drops routes it cannot build.
 *
 * <p>For proxyless gRPC clients (LOCALITY.md §5.3) redirects and query-parameter matches, which grpc
 * rejects or skips, are left out too, and so are the fields grpc ignores ({@link RouteActions}).
 */
final class VirtualServiceRoutes {
    private VirtualServiceRoutes() {}

    /** The routes, possibly none (the caller then uses its default). */
    static List<Route> render(OutboundScope scope, VirtualServiceConfig vs, RouteContext ctx) {
        List<Route> out = new ArrayList<>();
        List<HttpRoute> rules = vs.http();
        for (int i = 0; i < rules.size(); i++) {
            HttpRoute rule = rules.get(i);
            String where = vs.meta().ref() + " http[" + i + "]";
            boolean catchAll = false;
            if (rule.match().isEmpty()) {
                Route r = translate(scope, vs, rule, null, ctx, where);
                if (r != null) {
                    out.add(r);
                }
                catchAll = true;
            }
            for (int j = 0; j < rule.match().size() && !catchAll; j++) {
                HttpMatch m = rule.match().get(j);
                if ((m.port() != null && m.port() != ctx.port()) || !sourceMatches(scope, vs, m, ctx)) {
                    continue;
                }
                Route r = translate(scope, vs, rule, m, ctx, where + " match[" + j + "]");
                if (r != null) {
                    out.add(r);
                    catchAll = RouteMatches.isCatchAll(r.getMatch());
                }
            }
            if (catchAll) {
                // Envoy matches in order: nothing after a catch-all could ever be reached.
                break;
            }
        }
        return out;
    }

    /**
     * Istio's {@code sourceMatchHTTP}: with {@code gateways} the match applies only to those gateways
     * (and then ignores source labels); otherwise the proxy must carry every {@code sourceLabels}
     * label and be in {@code sourceNamespace} when set.
     */
    private static boolean sourceMatches(OutboundScope scope, VirtualServiceConfig vs, HttpMatch m, RouteContext ctx) {
        if (!m.gateways().isEmpty()) {
            for (String g :
                    VirtualServiceLookup.gatewayNames(m.gateways(), vs.meta().namespace())) {
                if (ctx.gatewayNames().contains(g)) {
                    return true;
                }
            }
            return false;
        }
        return new WorkloadSelector(m.sourceLabels()).matches(scope.proxy.labels())
                && (m.sourceNamespace() == null || m.sourceNamespace().equals(scope.proxy.namespace()));
    }

    private static @Nullable Route translate(
            OutboundScope scope,
            VirtualServiceConfig vs,
            HttpRoute rule,
            @Nullable HttpMatch m,
            RouteContext ctx,
            String where) {
        RouteMatch match = RouteMatches.catchAll();
        if (m != null) {
            String problem = RouteMatches.problem(m);
            if (problem != null) {
                scope.warn(where + ": route left out: " + problem);
                return null;
            }
            if (scope.grpc() && !m.queryParams().isEmpty()) {
                scope.warn(where + ": route left out for grpc clients: they cannot match query parameters");
                return null;
            }
            match = RouteMatches.of(m);
        }
        String name = rule.name() == null ? "" : rule.name();
        if (m != null && m.name() != null && !m.name().isEmpty()) {
            name = name + "." + m.name();
        }
        Route.Builder route = Route.newBuilder().setMatch(match);
        if (!name.isEmpty()) {
            route.setName(name);
        }
        if (rule.redirect() != null) {
            if (scope.grpc()) {
                scope.warn(where + ": route left out for grpc clients: they reject redirects");
                return null;
            }
            RedirectAction redirect = Redirects.of(rule.redirect(), ctx.tls());
            if (redirect == null) {
                scope.warn(where + ": route left out: redirect code "
                        + rule.redirect().redirectCode() + " (expected: 301, 302, 303, 307 or 308)");
                return null;
            }
            route.setRedirect(redirect);
            addHeaderEdits(route, HeaderEdits.of(rule.headers()));
        } else if (rule.route().isEmpty()) {
            scope.warn(where + ": route left out: neither route nor redirect");
            return null;
        } else if (!RouteActions.apply(scope, vs, rule, ctx, route, where)) {
            return null;
        }
        HTTPFault fault = Faults.of(rule.fault());
        if (fault != null) {
            route.putTypedPerFilterConfig(Faults.FILTER_NAME, Any.pack(fault));
        }
        return route.build();
    }

    static void addHeaderEdits(Route.Builder route, HeaderEdits edits) {
        route.addAllRequestHeadersToAdd(edits.requestToAdd())
                .addAllRequestHeadersToRemove(edits.requestToRemove())
                .addAllResponseHeadersToAdd(edits.responseToAdd())
                .addAllResponseHeadersToRemove(edits.responseToRemove());
    }
}
