package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.Destination;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequest;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteDestination;
import io.fabric8.istio.api.api.networking.v1alpha3.Headers;
import io.fabric8.istio.api.api.networking.v1alpha3.HeadersHeaderOperations;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.config.parse.ParseContext.DurationRule;
import io.zonemesh.model.istio.VirtualServiceConfig.HeaderOperations;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpMatch;
import io.zonemesh.model.istio.VirtualServiceConfig.RouteDestination;
import java.util.ArrayList;
import java.util.List;

/** One {@code http[]} rule of a VirtualService, validated as Istio's {@code validateHTTPRoute}. */
final class HttpRouteParser {
    private HttpRouteParser() {}

    static io.zonemesh.model.istio.VirtualServiceConfig.HttpRoute parse(
            HTTPRoute in, FieldPath path, ParseContext ctx) {
        List<HTTPRouteDestination> routeIn = Values.list(in.getRoute());
        boolean hasRoute = !routeIn.isEmpty();
        if (hasRoute && in.getRedirect() != null) {
            ctx.invalid(path.field("redirect"), "set together with route (expected: either route or redirect)");
        }
        if (!hasRoute && in.getRedirect() == null && in.getDirectResponse() == null && in.getDelegate() == null) {
            ctx.missing(path.field("route"), "route, redirect or directResponse");
        }
        if (in.getDirectResponse() != null) {
            ctx.unsupported(path.field("directResponse"), "direct responses");
        }
        if (in.getDelegate() != null) {
            ctx.unsupported(path.field("delegate"), "delegate VirtualServices");
        }
        if (in.getCorsPolicy() != null) {
            ctx.unsupported(path.field("corsPolicy"), "CORS policies");
        }
        if (!Values.list(in.getMirrors()).isEmpty()) {
            ctx.unsupported(path.field("mirrors"), "multiple mirrors; use mirror");
        }
        List<HttpMatch> matches = new ArrayList<>();
        List<HTTPMatchRequest> matchIn = Values.list(in.getMatch());
        for (int i = 0; i < matchIn.size(); i++) {
            if (matchIn.get(i) != null) {
                matches.add(match(matchIn.get(i), path.field("match").index(i), ctx));
            }
        }
        List<RouteDestination> routes = routes(routeIn, path.field("route"), ctx);
        var mirror = in.getMirror() == null ? null : destination(in.getMirror(), path.field("mirror"), ctx);
        Double mirrorPercentage = null;
        if (in.getMirrorPercentage() != null) {
            mirrorPercentage = ctx.percentage(
                    path.field("mirrorPercentage").field("value"),
                    in.getMirrorPercentage().getValue());
        } else if (in.getMirrorPercent() != null) {
            ctx.warn(path.field("mirrorPercent"), "deprecated (expected: mirrorPercentage)");
            Integer p = ctx.percent(path.field("mirrorPercent"), in.getMirrorPercent());
            mirrorPercentage = p == null ? null : p.doubleValue();
        }
        return new io.zonemesh.model.istio.VirtualServiceConfig.HttpRoute(
                in.getName(),
                matches,
                routes,
                in.getRedirect() == null
                        ? null
                        : RedirectsAndFaults.redirect(in.getRedirect(), path.field("redirect"), ctx),
                in.getRewrite() == null
                        ? null
                        : RedirectsAndFaults.rewrite(in.getRewrite(), path.field("rewrite"), ctx),
                ctx.duration(path.field("timeout"), in.getTimeout(), DurationRule.NON_NEGATIVE),
                in.getRetries() == null
                        ? null
                        : RedirectsAndFaults.retries(in.getRetries(), path.field("retries"), ctx),
                in.getFault() == null ? null : RedirectsAndFaults.fault(in.getFault(), path.field("fault"), ctx),
                mirror,
                mirrorPercentage,
                headers(in.getHeaders(), path.field("headers"), ctx));
    }

    private static HttpMatch match(HTTPMatchRequest in, FieldPath path, ParseContext ctx) {
        if (in.getStatPrefix() != null) {
            ctx.unsupported(path.field("statPrefix"), "per-route stat prefixes");
        }
        if (in.getWithoutHeaders() != null && !in.getWithoutHeaders().isEmpty()) {
            ctx.unsupported(path.field("withoutHeaders"), "negative header matches");
        }
        Integer port = ctx.port(path.field("port"), in.getPort());
        return new HttpMatch(
                in.getName(),
                StringMatches.required(in.getUri(), path.field("uri"), ctx),
                StringMatches.required(in.getMethod(), path.field("method"), ctx),
                StringMatches.required(in.getAuthority(), path.field("authority"), ctx),
                StringMatches.required(in.getScheme(), path.field("scheme"), ctx),
                StringMatches.byName(in.getHeaders(), path.field("headers"), ctx),
                StringMatches.byName(in.getQueryParams(), path.field("queryParams"), ctx),
                port,
                Values.strings(in.getSourceLabels()),
                Values.strings(in.getGateways()),
                in.getSourceNamespace(),
                Values.isTrue(in.getIgnoreUriCase()));
    }

    /**
     * Weights: each 0..100 and, when there is more than one destination, summing to 100 (Istio's
     * "total destination weight != 100"). A single destination without weight takes all traffic.
     */
    private static List<RouteDestination> routes(List<HTTPRouteDestination> in, FieldPath path, ParseContext ctx) {
        List<RouteDestination> out = new ArrayList<>();
        long total = 0;
        boolean weightsValid = true;
        for (int i = 0; i < in.size(); i++) {
            HTTPRouteDestination d = in.get(i);
            if (d == null) {
                continue;
            }
            FieldPath dp = path.index(i);
            Integer weight = ctx.percent(dp.field("weight"), d.getWeight());
            weightsValid &= d.getWeight() == null || weight != null;
            int w = weight != null ? weight : in.size() == 1 ? 100 : 0;
            total += w;
            var destination =
                    d.getDestination() == null ? null : destination(d.getDestination(), dp.field("destination"), ctx);
            if (d.getDestination() == null) {
                ctx.missing(dp.field("destination"), "a destination with a host");
            }
            var headers = d.getHeaders() == null ? null : headers(d.getHeaders(), dp.field("headers"), ctx);
            if (destination != null) {
                out.add(new RouteDestination(destination, w, headers));
            }
        }
        if (in.size() > 1 && weightsValid && total != 100) {
            ctx.invalid(
                    path,
                    "weights sum to " + total + " (expected: 100; total destination weight must be 100 "
                            + "when there is more than one destination)");
        }
        return out;
    }

    static io.zonemesh.model.istio.VirtualServiceConfig.@Nullable Destination destination(
            Destination in, FieldPath path, ParseContext ctx) {
        String host = in.getHost();
        boolean ok = ctx.require(path.field("host"), host, "the destination service host");
        if (ok) {
            String problem = host.equals("*") ? "\"*\" (expected: a concrete host)" : Names.wildcardDomain(host);
            if (problem != null) {
                ctx.invalid(path.field("host"), problem);
                ok = false;
            }
        }
        if (in.getSubset() != null) {
            String problem = Names.dns1123Label(in.getSubset());
            if (problem != null) {
                ctx.invalid(path.field("subset"), problem);
            }
        }
        Integer port = in.getPort() == null
                ? null
                : ctx.port(path.field("port").field("number"), in.getPort().getNumber());
        return ok ? new io.zonemesh.model.istio.VirtualServiceConfig.Destination(host, in.getSubset(), port) : null;
    }

    private static io.zonemesh.model.istio.VirtualServiceConfig.@Nullable Headers headers(
            @Nullable Headers in, FieldPath path, ParseContext ctx) {
        if (in == null) {
            return null;
        }
        return new io.zonemesh.model.istio.VirtualServiceConfig.Headers(
                operations(in.getRequest(), path.field("request"), ctx),
                operations(in.getResponse(), path.field("response"), ctx));
    }

    private static HeaderOperations operations(@Nullable HeadersHeaderOperations in, FieldPath path, ParseContext ctx) {
        if (in == null) {
            return HeaderOperations.NONE;
        }
        var set = Values.strings(in.getSet());
        var add = Values.strings(in.getAdd());
        var remove = Values.strings(in.getRemove());
        for (String name : set.keySet()) {
            headerName(name, path.field("set").field(name), ctx);
        }
        for (String name : add.keySet()) {
            headerName(name, path.field("add").field(name), ctx);
        }
        for (int i = 0; i < remove.size(); i++) {
            headerName(remove.get(i), path.field("remove").index(i), ctx);
        }
        return new HeaderOperations(set, add, remove);
    }

    /** RFC 7230 token characters; Istio's {@code ValidateHTTPHeaderName}. */
    private static void headerName(String name, FieldPath path, ParseContext ctx) {
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0)) {
            ctx.invalid(path, '"' + name + "\" (expected: an HTTP header name)");
        }
    }
}
