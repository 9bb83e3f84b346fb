package io.zonemesh.proxy.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.ClusterSpecifier;
import io.zonemesh.proxy.config.FaultConfig;
import io.zonemesh.proxy.config.Fraction;
import io.zonemesh.proxy.config.HashPolicy;
import io.zonemesh.proxy.config.HeaderEdits;
import io.zonemesh.proxy.config.HeaderMatcher;
import io.zonemesh.proxy.config.LocalResponse;
import io.zonemesh.proxy.config.PathMatcher;
import io.zonemesh.proxy.config.QueryParameterMatcher;
import io.zonemesh.proxy.config.RetryPolicy;
import io.zonemesh.proxy.config.RouteAction;
import io.zonemesh.proxy.config.RouteRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses one Envoy {@code Route}: path, header and query parameter matches; a {@code route},
 * {@code redirect} or {@code direct_response} action; header edits; the fault filter's per-route
 * config. Anything that would change where or how a request goes and that the proxy does not
 * implement (gRPC or runtime matchers, cluster headers, filename bodies, ...) is an error, so it
 * is NACKed rather than silently ignored. Stream-duration policies are accepted and not applied.
 */
final class RouteParser {
    private RouteParser() {}

    // NullAway cannot see this parser's invariant: a part is null only when its parse recorded an
    // error, and the method returns null before building when the error count grew.
    @SuppressWarnings("NullAway")
    static @Nullable RouteRule parse(Route route, ValidationErrors errors, String path) {
        int before = errors.count();
        PathMatcher pathMatcher = pathMatcher(route.getMatch(), errors, path + ".match");
        List<HeaderMatcher> headers = new ArrayList<>();
        for (int i = 0; i < route.getMatch().getHeadersCount(); i++) {
            HeaderMatcher header =
                    MatcherParser.header(route.getMatch().getHeaders(i), errors, path + ".match.headers[" + i + "]");
            if (header != null) {
                headers.add(header);
            }
        }
        List<QueryParameterMatcher> query = new ArrayList<>();
        for (int i = 0; i < route.getMatch().getQueryParametersCount(); i++) {
            QueryParameterMatcher parameter = MatcherParser.query(
                    route.getMatch().getQueryParameters(i), errors, path + ".match.query_parameters[" + i + "]");
            if (parameter != null) {
                query.add(parameter);
            }
        }
        unsupportedMatchers(route.getMatch(), errors, path + ".match");
        HeaderEdits edits = HeaderEditsParser.parse(
                route.getRequestHeadersToAddList(),
                route.getRequestHeadersToRemoveList(),
                route.getResponseHeadersToAddList(),
                route.getResponseHeadersToRemoveList(),
                errors,
                path);
        RouteAction action = null;
        LocalResponse local = null;
        switch (route.getActionCase()) {
            case ROUTE -> action = action(route.getRoute(), pathMatcher, errors, path + ".route");
            case REDIRECT ->
                local = LocalResponseParser.redirect(route.getRedirect(), pathMatcher, errors, path + ".redirect");
            case DIRECT_RESPONSE ->
                local = LocalResponseParser.direct(route.getDirectResponse(), errors, path + ".direct_response");
            default -> errors.add(path, route.getActionCase(), "route, redirect or direct_response");
        }
        FaultConfig fault = null;
        Any faultAny = route.getTypedPerFilterConfigMap().get(FaultParser.NAME);
        if (faultAny != null) {
            fault = FaultParser.parse(faultAny, errors, path + ".typed_per_filter_config[" + FaultParser.NAME + "]");
        }
        if (errors.count() > before) {
            return null;
        }
        return new RouteRule(route.getName(), pathMatcher, headers, query, action, local, edits, fault);
    }

    private static @Nullable PathMatcher pathMatcher(RouteMatch match, ValidationErrors errors, String path) {
        boolean caseSensitive =
                !match.hasCaseSensitive() || match.getCaseSensitive().getValue();
        return switch (match.getPathSpecifierCase()) {
            case PREFIX -> new PathMatcher.Prefix(match.getPrefix(), caseSensitive);
            case PATH -> new PathMatcher.Exact(match.getPath(), caseSensitive);
            case SAFE_REGEX -> {
                Pattern pattern = MatcherParser.regex(match.getSafeRegex(), errors, path + ".safe_regex");
                yield pattern == null ? null : new PathMatcher.SafeRegex(pattern);
            }
            case PATH_SEPARATED_PREFIX -> {
                String prefix = match.getPathSeparatedPrefix();
                if (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("?") || prefix.contains("#")) {
                    errors.add(
                            path + ".path_separated_prefix",
                            ValidationErrors.quote(prefix),
                            "a path starting and not ending with / and without ? or #");
                    yield null;
                }
                yield new PathMatcher.SeparatedPrefix(prefix, caseSensitive);
            }
            default -> {
                errors.add(path, match.getPathSpecifierCase(), "prefix, path, safe_regex or path_separated_prefix");
                yield null;
            }
        };
    }

    private static void unsupportedMatchers(RouteMatch match, ValidationErrors errors, String path) {
        if (match.hasGrpc()
                || match.hasRuntimeFraction()
                || match.hasTlsContext()
                || match.getDynamicMetadataCount() > 0
                || match.getFilterStateCount() > 0) {
            errors.add(
                    path,
                    "grpc/runtime_fraction/tls_context/dynamic_metadata/filter_state",
                    "none (not supported by zonemesh-proxy)");
        }
    }

    private static @Nullable RouteAction action(
            io.envoyproxy.envoy.config.route.v3.RouteAction proto,
            @Nullable PathMatcher pathMatcher,
            ValidationErrors errors,
            String path) {
        ClusterSpecifier clusters = clusters(proto, errors, path);
        Duration timeout = RouteAction.DEFAULT_TIMEOUT;
        if (proto.hasTimeout()) {
            timeout = ProtoValues.duration(proto.getTimeout(), errors, path + ".timeout");
        }
        String prefixRewrite = proto.getPrefixRewrite().isEmpty() ? null : proto.getPrefixRewrite();
        if (prefixRewrite != null && pathMatcher instanceof PathMatcher.SafeRegex) {
            errors.add(
                    path + ".prefix_rewrite",
                    ValidationErrors.quote(prefixRewrite),
                    "unset on a safe_regex route (Envoy rejects it too)");
        }
        RouteAction.RegexRewrite regexRewrite = null;
        if (proto.hasRegexRewrite()) {
            Pattern pattern =
                    MatcherParser.regex(proto.getRegexRewrite().getPattern(), errors, path + ".regex_rewrite.pattern");
            if (pattern != null) {
                regexRewrite = new RouteAction.RegexRewrite(
                        pattern, proto.getRegexRewrite().getSubstitution());
            }
            if (prefixRewrite != null) {
                errors.add(path + ".regex_rewrite", "set", "unset with prefix_rewrite (Envoy allows one of them)");
            }
        }
        if (proto.hasPathRewritePolicy()) {
            errors.add(path + ".path_rewrite_policy", "set", "unset (not supported by zonemesh-proxy)");
        }
        String hostRewrite = null;
        switch (proto.getHostRewriteSpecifierCase()) {
            case HOST_REWRITE_LITERAL -> hostRewrite = proto.getHostRewriteLiteral();
            case HOSTREWRITESPECIFIER_NOT_SET -> {}
            default ->
                errors.add(
                        path,
                        proto.getHostRewriteSpecifierCase(),
                        "host_rewrite_literal or none (not supported by zonemesh-proxy)");
        }
        List<RouteAction.Mirror> mirrors = new ArrayList<>();
        for (int i = 0; i < proto.getRequestMirrorPoliciesCount(); i++) {
            RouteAction.Mirror mirror =
                    mirror(proto.getRequestMirrorPolicies(i), errors, path + ".request_mirror_policies[" + i + "]");
            if (mirror != null) {
                mirrors.add(mirror);
            }
        }
        RetryPolicy retry = RetryPolicy.NONE;
        if (proto.hasRetryPolicy()) {
            retry = RetryPolicyParser.parse(proto.getRetryPolicy(), errors, path + ".retry_policy");
        }
        if (clusters == null || timeout == null || retry == null) {
            return null;
        }
        List<HashPolicy> hashPolicies =
                HashPolicyParser.parse(proto.getHashPolicyList(), errors, path + ".hash_policy");
        return new RouteAction(
                clusters, timeout, prefixRewrite, regexRewrite, hostRewrite, retry, mirrors, hashPolicies);
    }

    private static RouteAction.@Nullable Mirror mirror(
            io.envoyproxy.envoy.config.route.v3.RouteAction.RequestMirrorPolicy proto,
            ValidationErrors errors,
            String path) {
        if (proto.getCluster().isEmpty()) {
            errors.add(path + ".cluster", "\"\"", "non-empty (cluster_header is not supported by zonemesh-proxy)");
            return null;
        }
        Fraction fraction = Fraction.ALL;
        if (proto.hasRuntimeFraction()) {
            fraction = FaultParser.fraction(
                    proto.getRuntimeFraction().getDefaultValue(), errors, path + ".runtime_fraction.default_value");
        }
        return fraction == null ? null : new RouteAction.Mirror(proto.getCluster(), fraction);
    }

    private static @Nullable ClusterSpecifier clusters(
            io.envoyproxy.envoy.config.route.v3.RouteAction proto, ValidationErrors errors, String path) {
        switch (proto.getClusterSpecifierCase()) {
            case CLUSTER:
                if (proto.getCluster().isEmpty()) {
                    errors.add(path + ".cluster", "\"\"", "non-empty");
                    return null;
                }
                return new ClusterSpecifier.Single(proto.getCluster());
            case WEIGHTED_CLUSTERS:
                return weighted(proto.getWeightedClusters(), errors, path + ".weighted_clusters");
            default:
                errors.add(path, proto.getClusterSpecifierCase(), "cluster or weighted_clusters");
                return null;
        }
    }

    private static @Nullable ClusterSpecifier weighted(WeightedCluster proto, ValidationErrors errors, String path) {
        List<ClusterSpecifier.WeightedCluster> clusters = new ArrayList<>();
        long total = 0;
        boolean valid = true;
        for (int i = 0; i < proto.getClustersCount(); i++) {
            WeightedCluster.ClusterWeight weight = proto.getClusters(i);
            if (weight.getName().isEmpty()) {
                errors.add(path + ".clusters[" + i + "].name", "\"\"", "non-empty (cluster_header is not supported)");
                valid = false;
                continue;
            }
            long w = Integer.toUnsignedLong(weight.getWeight().getValue());
            total += w;
            String entryPath = path + ".clusters[" + i + "]";
            HeaderEdits edits = HeaderEditsParser.parse(
                    weight.getRequestHeadersToAddList(),
                    weight.getRequestHeadersToRemoveList(),
                    weight.getResponseHeadersToAddList(),
                    weight.getResponseHeadersToRemoveList(),
                    errors,
                    entryPath);
            String hostRewrite = weight.getHostRewriteLiteral().isEmpty() ? null : weight.getHostRewriteLiteral();
            if (edits == null) {
                valid = false;
                continue;
            }
            clusters.add(new ClusterSpecifier.WeightedCluster(weight.getName(), w, edits, hostRewrite));
        }
        if (clusters.isEmpty() || total == 0) {
            errors.add(
                    path + ".clusters",
                    proto.getClustersCount() + " clusters, total weight " + total,
                    "at least one cluster and a total weight > 0");
            valid = false;
        }
        return valid ? new ClusterSpecifier.Weighted(clusters) : null;
    }
}
