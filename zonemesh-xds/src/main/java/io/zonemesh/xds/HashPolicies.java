package io.zonemesh.xds;

import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.LoadBalancerSettings.ConsistentHash;
import io.zonemesh.xds.cluster.Protos;
import java.util.List;

/**
 * The route {@code hash_policy} a consistent-hash DestinationRule needs: without it a RING_HASH
 * cluster hashes nothing and picks at random (Istio's {@code consistentHashToHashPolicy}).
 */
final class HashPolicies {
    private HashPolicies() {}

    static List<RouteAction.HashPolicy> of(@Nullable LoadBalancerSettings lb) {
        ConsistentHash hash = lb == null ? null : lb.consistentHash();
        if (hash == null) {
            return List.of();
        }
        RouteAction.HashPolicy.Builder policy = RouteAction.HashPolicy.newBuilder();
        if (hash.httpHeaderName() != null) {
            policy.setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName(hash.httpHeaderName()));
        } else if (hash.httpCookie() != null) {
            RouteAction.HashPolicy.Cookie.Builder cookie = RouteAction.HashPolicy.Cookie.newBuilder()
                    .setName(hash.httpCookie().name());
            if (hash.httpCookie().path() != null) {
                cookie.setPath(hash.httpCookie().path());
            }
            if (hash.httpCookie().ttl() != null) {
                cookie.setTtl(Protos.duration(hash.httpCookie().ttl()));
            }
            policy.setCookie(cookie);
        } else if (hash.useSourceIp()) {
            policy.setConnectionProperties(
                    RouteAction.HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true));
        } else if (hash.httpQueryParameterName() != null) {
            policy.setQueryParameter(
                    RouteAction.HashPolicy.QueryParameter.newBuilder().setName(hash.httpQueryParameterName()));
        } else {
            return List.of();
        }
        return List.of(policy.build());
    }
}
