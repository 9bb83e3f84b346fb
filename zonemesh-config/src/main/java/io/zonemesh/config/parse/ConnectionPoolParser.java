package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettingsHTTPSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettingsHTTPSettingsH2UpgradePolicy;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettingsTCPSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettingsTCPSettingsTcpKeepalive;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.config.parse.ParseContext.DurationRule;
import io.zonemesh.model.istio.ConnectionPoolSettings.Http;
import io.zonemesh.model.istio.ConnectionPoolSettings.Tcp;
import io.zonemesh.model.istio.ConnectionPoolSettings.TcpKeepalive;

/** {@code trafficPolicy.connectionPool}, validated as Istio's {@code validateConnectionPool}. */
final class ConnectionPoolParser {
    private ConnectionPoolParser() {}

    static @Nullable io.zonemesh.model.istio.ConnectionPoolSettings parse(
            ConnectionPoolSettings in, FieldPath path, ParseContext ctx) {
        if (in.getTcp() == null && in.getHttp() == null) {
            ctx.missing(path, "tcp or http settings; connection pool must have at least one field");
            return null;
        }
        return new io.zonemesh.model.istio.ConnectionPoolSettings(
                in.getTcp() == null ? null : tcp(in.getTcp(), path.field("tcp"), ctx),
                in.getHttp() == null ? null : http(in.getHttp(), path.field("http"), ctx));
    }

    private static Tcp tcp(ConnectionPoolSettingsTCPSettings in, FieldPath path, ParseContext ctx) {
        TcpKeepalive keepalive = null;
        ConnectionPoolSettingsTCPSettingsTcpKeepalive k = in.getTcpKeepalive();
        if (k != null) {
            FieldPath kp = path.field("tcpKeepalive");
            keepalive = new TcpKeepalive(
                    ctx.atLeast(kp.field("probes"), k.getProbes(), 0),
                    ctx.duration(kp.field("time"), k.getTime(), DurationRule.AT_LEAST_1MS),
                    ctx.duration(kp.field("interval"), k.getInterval(), DurationRule.AT_LEAST_1MS));
        }
        return new Tcp(
                ctx.atLeast(path.field("maxConnections"), in.getMaxConnections(), 0),
                ctx.duration(path.field("connectTimeout"), in.getConnectTimeout(), DurationRule.AT_LEAST_1MS),
                keepalive,
                ctx.duration(
                        path.field("maxConnectionDuration"), in.getMaxConnectionDuration(), DurationRule.AT_LEAST_1MS),
                ctx.duration(path.field("idleTimeout"), in.getIdleTimeout(), DurationRule.AT_LEAST_1MS));
    }

    private static Http http(ConnectionPoolSettingsHTTPSettings in, FieldPath path, ParseContext ctx) {
        ConnectionPoolSettingsHTTPSettingsH2UpgradePolicy upgrade = in.getH2UpgradePolicy();
        if (upgrade == ConnectionPoolSettingsHTTPSettingsH2UpgradePolicy.UPGRADE
                && Values.isTrue(in.getUseClientProtocol())) {
            ctx.invalid(
                    path.field("useClientProtocol"),
                    "true (expected: false or unset when h2UpgradePolicy is " + "UPGRADE)");
        }
        return new Http(
                ctx.atLeast(path.field("http1MaxPendingRequests"), in.getHttp1MaxPendingRequests(), 0),
                ctx.atLeast(path.field("http2MaxRequests"), in.getHttp2MaxRequests(), 0),
                ctx.atLeast(path.field("maxRequestsPerConnection"), in.getMaxRequestsPerConnection(), 0),
                ctx.atLeast(path.field("maxRetries"), in.getMaxRetries(), 0),
                ctx.duration(path.field("idleTimeout"), in.getIdleTimeout(), DurationRule.AT_LEAST_1MS),
                upgrade == null ? null : upgrade.name(),
                in.getUseClientProtocol(),
                ctx.atLeast(path.field("maxConcurrentStreams"), in.getMaxConcurrentStreams(), 0));
    }
}
