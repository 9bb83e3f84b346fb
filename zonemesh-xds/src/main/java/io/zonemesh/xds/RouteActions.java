package io.zonemesh.xds;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.Service;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.model.istio.VirtualServiceConfig.Destination;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpRoute;
import io.zonemesh.model.istio.VirtualServiceConfig.Rewrite;
import io.zonemesh.model.istio.VirtualServiceConfig.RouteDestination;
import io.zonemesh.xds.cluster.Protos;
import io.zonemesh.xds.route.HeaderEdits;
import io.zonemesh.xds.route.Percentages;
import io.zonemesh.xds.route.Regexes;
import io.zonemesh.xds.route.RetryPolicies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The forwarding action of a VirtualService rule, Istio's {@code applyHTTPRouteDestination}: timeout
 * ({@code 0s}, no timeout, when unset), rewrites, host rewrite from {@code rewrite.authority} or an
 * {@code :authority} header edit, mirror, destinations (one → {@code cluster}, several →
 * {@code weighted_clusters} without zero weights), the destinations' consistent-hash
 * {@code hash_policy}, per-destination header edits and the retry policy.
 *
 * <p>For gRPC clients the timeout also goes to {@code max_stream_duration} (the only timeout grpc
 * reads, gRFC A31) and rewrites, mirrors, header edits and non-header hash policies, which grpc
 * ignores, are left out.
 */
final class RouteActions {
    private RouteActions() {}

    /** Sets the route's action; false (with a warning recorded) when the rule cannot be rendered. */
    static boolean apply(
            OutboundScope scope,
            VirtualServiceConfig vs,
            HttpRoute rule,
            RouteContext ctx,
            Route.Builder route,
            String where) {
        boolean grpc = scope.grpc();
        Duration timeout = rule.timeout() == null ? Duration.ZERO : rule.timeout();
        RouteAction.Builder action = RouteAction.newBuilder().setTimeout(Protos.duration(timeout));
        if (grpc) {
            action.setMaxStreamDuration(
                    RouteAction.MaxStreamDuration.newBuilder().setMaxStreamDuration(Protos.duration(timeout)));
        }
        HeaderEdits edits = grpc ? HeaderEdits.NONE : HeaderEdits.of(rule.headers());
        String authority = edits.authority();
        Rewrite rewrite = grpc ? null : rule.rewrite();
        if (rewrite != null) {
            if (rewrite.uriRegex() != null) {
                String problem = Regexes.problem(rewrite.uriRegex());
                if (problem != null) {
                    scope.warn(where + ": route left out: rewrite " + problem);
                    return false;
                }
                action.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
                        .setPattern(Regexes.safeRegex(rewrite.uriRegex()))
                        .setSubstitution(rewrite.uriRegexRewrite() == null ? "" : rewrite.uriRegexRewrite()));
            } else if (rewrite.uri() != null && !rewrite.uri().isEmpty()) {
                action.setPrefixRewrite(rewrite.uri());
            }
            if (rewrite.authority() != null && !rewrite.authority().isEmpty()) {
                authority = rewrite.authority();
            }
        }
        if (authority != null) {
            action.setHostRewriteLiteral(authority);
        }
        if (!grpc && rule.mirror() != null) {
            mirror(scope, vs, rule, ctx, where).ifPresent(action::addRequestMirrorPolicies);
        }
        VirtualServiceRoutes.addHeaderEdits(route, edits);
        boolean consistentHash;
        if (rule.route().size() == 1) {
            RouteDestination d = rule.route().get(0);
            String cluster = cluster(scope, vs, d.destination(), ctx, where + ": route left out: ");
            if (cluster == null) {
                return false;
            }
            action.setCluster(cluster);
            List<RouteAction.HashPolicy> hash = hashPolicies(scope, cluster);
            action.addAllHashPolicy(hash);
            consistentHash = !hash.isEmpty();
            if (!grpc) {
                HeaderEdits own = HeaderEdits.of(d.headers());
                VirtualServiceRoutes.addHeaderEdits(route, own);
                // A rule-level rewrite wins over a destination's authority, as in Istio.
                if (own.authority() != null && !action.hasHostRewriteLiteral()) {
                    action.setHostRewriteLiteral(own.authority());
                }
            }
        } else {
            WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
            long total = 0;
            for (RouteDestination d : rule.route()) {
                if (d.weight() == 0) {
                    continue;
                }
                String cluster = cluster(scope, vs, d.destination(), ctx, where + ": route left out: ");
                if (cluster == null) {
                    return false;
                }
                total += d.weight();
                WeightedCluster.ClusterWeight.Builder cw = WeightedCluster.ClusterWeight.newBuilder()
                        .setName(cluster)
                        .setWeight(Protos.uint32(d.weight()));
                HeaderEdits own = grpc ? HeaderEdits.NONE : HeaderEdits.of(d.headers());
                cw.addAllRequestHeadersToAdd(own.requestToAdd())
                        .addAllRequestHeadersToRemove(own.requestToRemove())
                        .addAllResponseHeadersToAdd(own.responseToAdd())
                        .addAllResponseHeadersToRemove(own.responseToRemove());
                if (own.authority() != null) {
                    cw.setHostRewriteLiteral(own.authority());
                }
                weighted.addClusters(cw);
                for (RouteAction.HashPolicy h : hashPolicies(scope, cluster)) {
                    if (!action.getHashPolicyList().contains(h)) {
                        action.addHashPolicy(h);
                    }
                }
            }
            if (total != 100) {
                scope.warn(where + ": route left out: destination weights sum to " + total + " (expected: 100)");
                return false;
            }
            action.setWeightedClusters(weighted);
            // Istio passes consistentHash=false for splits: each retry may pick another host.
            consistentHash = false;
        }
        var retry = RetryPolicies.of(rule.retries(), consistentHash);
        if (retry != null) {
            action.setRetryPolicy(retry);
        }
        route.setRoute(action);
        return true;
    }

    /**
     * The cluster of a destination: its port, else the service's only port, else the port requests
     * arrive on (Istio's {@code GetDestinationCluster}); null, with a warning, when this proxy group
     * has no such cluster.
     *
     * @param warning the start of the warning to record when there is none
     */
    static @Nullable String cluster(
            OutboundScope scope, VirtualServiceConfig vs, Destination d, RouteContext ctx, String warning) {
        String host = scope.virtualServices.resolve(vs, d.host());
        Service service = scope.service(host);
        Integer port = d.port();
        if (port == null) {
            port = service != null && service.ports().size() == 1
                    ? service.ports().get(0).port()
                    : ctx.port();
        }
        String name = ClusterNames.outbound(port, d.subset(), host);
        if (scope.routable(name)) {
            return name;
        }
        String reason;
        if (service == null) {
            reason = "destination host " + host + " is not a service this proxy can see";
        } else if (service.port(port) == null) {
            reason = "port " + port + " is not a port of " + host;
        } else if (scope.cluster(name) != null) {
            reason = host + " is resolved by DNS, which grpc clients cannot use";
        } else {
            reason = "subset " + d.subset() + " of " + host + " is not defined by any DestinationRule";
        }
        scope.warn(warning + reason);
        return null;
    }

    private static Optional<RouteAction.RequestMirrorPolicy> mirror(
            OutboundScope scope, VirtualServiceConfig vs, HttpRoute rule, RouteContext ctx, String where) {
        RuntimeFractionalPercent fraction;
        Double percent = rule.mirrorPercentage();
        if (percent == null) {
            // Istio mirrors everything when no percentage is given.
            fraction = RuntimeFractionalPercent.newBuilder()
                    .setDefaultValue(Percentages.hundred(100))
                    .build();
        } else if (percent > 0) {
            fraction = RuntimeFractionalPercent.newBuilder()
                    .setDefaultValue(Percentages.million(percent))
                    .build();
        } else {
            return Optional.empty();
        }
        String cluster = cluster(scope, vs, Objects.requireNonNull(rule.mirror()), ctx, where + ": mirror left out: ");
        if (cluster == null) {
            return Optional.empty();
        }
        return Optional.of(RouteAction.RequestMirrorPolicy.newBuilder()
                .setCluster(cluster)
                .setRuntimeFraction(fraction)
                .setTraceSampled(BoolValue.of(false))
                .build());
    }

    /** The DestinationRule's consistent hash for the cluster; grpc reads only header hashes (gRFC A42). */
    private static List<RouteAction.HashPolicy> hashPolicies(OutboundScope scope, String cluster) {
        OutboundCluster target = scope.cluster(cluster);
        List<RouteAction.HashPolicy> out =
                new ArrayList<>(HashPolicies.of(target == null ? null : target.policy.loadBalancer()));
        if (scope.grpc()) {
            out.removeIf(h -> !h.hasHeader());
        }
        return out;
    }
}
