package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.OutlierDetection;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicyPortTrafficPolicy;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.TrafficPolicy.PortTrafficPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A DestinationRule {@code trafficPolicy} (top level or a subset's), as Istio's {@code validateTrafficPolicy}. */
final class TrafficPolicyParser {
    private TrafficPolicyParser() {}

    /**
     * @param inheritedOutlier whether an enclosing policy (the top level, for a subset) has
     *     outlierDetection; Istio merges it into this one before deciding on failover
     */
    static io.zonemesh.model.istio.TrafficPolicy parse(
            TrafficPolicy in, FieldPath path, boolean inheritedOutlier, ParseContext ctx) {
        if (in.getLoadBalancer() == null
                && in.getConnectionPool() == null
                && in.getOutlierDetection() == null
                && in.getTls() == null
                && Values.list(in.getPortLevelSettings()).isEmpty()
                && in.getProxyProtocol() == null
                && in.getRetryBudget() == null
                && in.getTunnel() == null) {
            ctx.missing(
                    path,
                    "at least one of loadBalancer, connectionPool, outlierDetection, tls or " + "portLevelSettings");
        }
        if (in.getProxyProtocol() != null) {
            ctx.unsupported(path.field("proxyProtocol"), "the PROXY protocol toward upstreams");
        }
        if (in.getRetryBudget() != null) {
            ctx.unsupported(path.field("retryBudget"), "retry budgets; connectionPool.http.maxRetries applies");
        }
        if (in.getTunnel() != null) {
            ctx.unsupported(path.field("tunnel"), "HTTP CONNECT tunnels");
        }
        boolean outlier = inheritedOutlier || in.getOutlierDetection() != null;
        List<PortTrafficPolicy> ports = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        List<TrafficPolicyPortTrafficPolicy> in2 = Values.list(in.getPortLevelSettings());
        for (int i = 0; i < in2.size(); i++) {
            TrafficPolicyPortTrafficPolicy p = in2.get(i);
            if (p != null) {
                PortTrafficPolicy port = port(p, path.field("portLevelSettings").index(i), outlier, seen, ctx);
                if (port != null) {
                    ports.add(port);
                }
            }
        }
        return new io.zonemesh.model.istio.TrafficPolicy(
                loadBalancer(in.getLoadBalancer(), path, outlier, ctx),
                connectionPool(in.getConnectionPool(), path, ctx),
                outlierDetection(in.getOutlierDetection(), path, ctx),
                tls(in.getTls(), path, ctx),
                ports);
    }

    private static @Nullable PortTrafficPolicy port(
            TrafficPolicyPortTrafficPolicy in,
            FieldPath path,
            boolean inheritedOutlier,
            Set<Integer> seen,
            ParseContext ctx) {
        Integer number = in.getPort() == null
                ? null
                : ctx.port(path.field("port").field("number"), in.getPort().getNumber());
        if (in.getPort() == null || in.getPort().getNumber() == null) {
            ctx.missing(path.field("port").field("number"), "the port number the policy applies to");
        } else if (number != null && !seen.add(number)) {
            ctx.invalid(
                    path.field("port").field("number"),
                    number + " (expected: a port no other portLevelSettings " + "entry names)");
        }
        if (in.getLoadBalancer() == null
                && in.getConnectionPool() == null
                && in.getOutlierDetection() == null
                && in.getTls() == null) {
            ctx.missing(path, "at least one of loadBalancer, connectionPool, outlierDetection or tls");
        }
        boolean outlier = inheritedOutlier || in.getOutlierDetection() != null;
        var lb = loadBalancer(in.getLoadBalancer(), path, outlier, ctx);
        var pool = connectionPool(in.getConnectionPool(), path, ctx);
        var od = outlierDetection(in.getOutlierDetection(), path, ctx);
        var tls = tls(in.getTls(), path, ctx);
        return number == null ? null : new PortTrafficPolicy(number, lb, pool, od, tls);
    }

    private static io.zonemesh.model.istio.@Nullable LoadBalancerSettings loadBalancer(
            @Nullable LoadBalancerSettings in, FieldPath path, boolean outlier, ParseContext ctx) {
        return in == null ? null : LoadBalancerParser.parse(in, path.field("loadBalancer"), outlier, ctx);
    }

    private static io.zonemesh.model.istio.@Nullable ConnectionPoolSettings connectionPool(
            @Nullable ConnectionPoolSettings in, FieldPath path, ParseContext ctx) {
        return in == null ? null : ConnectionPoolParser.parse(in, path.field("connectionPool"), ctx);
    }

    private static io.zonemesh.model.istio.@Nullable OutlierDetection outlierDetection(
            @Nullable OutlierDetection in, FieldPath path, ParseContext ctx) {
        return in == null ? null : OutlierDetectionParser.parse(in, path.field("outlierDetection"), ctx);
    }

    private static io.zonemesh.model.istio.@Nullable ClientTls tls(
            @Nullable ClientTLSSettings in, FieldPath path, ParseContext ctx) {
        return in == null ? null : ClientTlsParser.parse(in, path.field("tls"), ctx);
    }
}
