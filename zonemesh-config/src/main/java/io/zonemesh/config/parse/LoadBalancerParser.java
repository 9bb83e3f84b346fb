package io.zonemesh.config.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.istio.api.api.networking.v1alpha3.IsLoadBalancerSettingsConsistentHashLBHashAlgorithm;
import io.fabric8.istio.api.api.networking.v1alpha3.IsLoadBalancerSettingsConsistentHashLBHashKey;
import io.fabric8.istio.api.api.networking.v1alpha3.IsLoadBalancerSettingsLbPolicy;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHash;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLB;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBHTTPCookie_;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBHttpCookie;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBHttpHeaderName;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBHttpQueryParameterName;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBMaglev;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBUseSourceIp;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimple;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.config.parse.ParseContext.DurationRule;
import io.zonemesh.model.istio.LoadBalancerSettings.ConsistentHash;
import io.zonemesh.model.istio.LoadBalancerSettings.HttpCookie;
import io.zonemesh.model.istio.LoadBalancerSettings.SimpleLb;
import io.zonemesh.model.istio.LocalityLbSetting;
import io.zonemesh.model.istio.ZoneAwareLbSetting;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/** {@code trafficPolicy.loadBalancer}: simple or consistent hash, locality or zone-aware settings and warmup. */
final class LoadBalancerParser {
    private LoadBalancerParser() {}

    static io.zonemesh.model.istio.LoadBalancerSettings parse(
            LoadBalancerSettings in, FieldPath path, boolean hasOutlierDetection, ParseContext ctx) {
        SimpleLb simple = null;
        ConsistentHash hash = null;
        IsLoadBalancerSettingsLbPolicy policy = in.getLbPolicy();
        if (policy instanceof LoadBalancerSettingsSimple s && s.getSimple() != null) {
            simple = SimpleLb.valueOf(s.getSimple().name());
        } else if (policy instanceof LoadBalancerSettingsConsistentHash c && c.getConsistentHash() != null) {
            hash = consistentHash(c.getConsistentHash(), path.field("consistentHash"), ctx);
        }
        LocalityLbSetting locality = in.getLocalityLbSetting() == null
                ? null
                : LocalityLbParser.parse(
                        in.getLocalityLbSetting(), path.field("localityLbSetting"), hasOutlierDetection, ctx);
        ZoneAwareLbSetting zoneAware = ZoneAwareLbParser.parse(path.field(ZoneAwareLbParser.FIELD), ctx);
        if (zoneAware != null && in.getLocalityLbSetting() != null) {
            ctx.invalid(
                    path.field(ZoneAwareLbParser.FIELD),
                    "set together with localityLbSetting (expected: only "
                            + "one of [localityLbSetting, zoneAwareLbSetting])");
        }
        Duration warmup = null;
        if (in.getWarmup() != null) {
            FieldPath wp = path.field("warmup");
            warmup = ctx.duration(wp.field("duration"), in.getWarmup().getDuration(), DurationRule.AT_LEAST_1MS);
            if (in.getWarmup().getDuration() == null) {
                ctx.missing(wp.field("duration"), "how long a new endpoint warms up, e.g. 60s");
            }
            if (in.getWarmup().getAggression() != null || in.getWarmup().getMinimumPercent() != null) {
                ctx.unsupported(wp, "warmup aggression and minimumPercent; the slow start ramp is linear");
            }
        }
        if (in.getWarmupDurationSecs() != null) {
            Duration legacy = ctx.duration(
                    path.field("warmupDurationSecs"), in.getWarmupDurationSecs(), DurationRule.AT_LEAST_1MS);
            if (warmup == null) {
                warmup = legacy;
            }
            ctx.warn(path.field("warmupDurationSecs"), "deprecated (expected: warmup.duration)");
        }
        return new io.zonemesh.model.istio.LoadBalancerSettings(simple, hash, locality, warmup, zoneAware);
    }

    private static ConsistentHash consistentHash(
            LoadBalancerSettingsConsistentHashLB in, FieldPath path, ParseContext ctx) {
        String header = null;
        HttpCookie cookie = null;
        boolean sourceIp = false;
        String query = null;
        IsLoadBalancerSettingsConsistentHashLBHashKey key = in.getHashKey();
        if (key instanceof LoadBalancerSettingsConsistentHashLBHttpHeaderName h) {
            header = h.getHttpHeaderName();
            ctx.require(path.field("httpHeaderName"), header, "a header name");
        } else if (key instanceof LoadBalancerSettingsConsistentHashLBHttpCookie c && c.getHttpCookie() != null) {
            cookie = cookie(c.getHttpCookie(), path.field("httpCookie"), ctx);
        } else if (key instanceof LoadBalancerSettingsConsistentHashLBUseSourceIp s) {
            sourceIp = Values.isTrue(s.getUseSourceIp());
        } else if (key instanceof LoadBalancerSettingsConsistentHashLBHttpQueryParameterName q) {
            query = q.getHttpQueryParameterName();
            ctx.require(path.field("httpQueryParameterName"), query, "a query parameter name");
        } else {
            ctx.warn(
                    path,
                    "no hash key (expected: one of httpHeaderName, httpCookie, useSourceIp, "
                            + "httpQueryParameterName); every request hashes alike");
        }
        Long ringSize = in.getMinimumRingSize();
        if (ringSize != null) {
            ctx.warn(path.field("minimumRingSize"), "deprecated (expected: ringHash.minimumRingSize)");
        }
        Long tableSize = null;
        IsLoadBalancerSettingsConsistentHashLBHashAlgorithm algorithm = in.getHashAlgorithm();
        JsonNode ringHash = ctx.raw(path.field("ringHash"));
        if (ringHash != null) {
            if (algorithm != null) {
                ctx.invalid(
                        path.field("ringHash"),
                        "set together with maglev (expected: only one of [maglev, " + "ringHash])");
            }
            Long size = ringHash(ringHash, path.field("ringHash"), ctx);
            ringSize = size != null ? size : ringSize;
        }
        if (algorithm instanceof LoadBalancerSettingsConsistentHashLBMaglev m && m.getMaglev() != null) {
            tableSize = m.getMaglev().getTableSize();
            // Envoy requires a prime Maglev table size (Istio validates the same).
            if (tableSize != null
                    && (tableSize < 2 || !BigInteger.valueOf(tableSize).isProbablePrime(30))) {
                ctx.invalid(path.field("maglev").field("tableSize"), tableSize + " (expected: a prime number)");
                tableSize = null;
            }
        }
        return new ConsistentHash(header, cookie, sourceIp, query, ringSize, tableSize);
    }

    /** {@code ringHash}, read from the document as written (see {@link ModelGaps}). */
    private static @Nullable Long ringHash(JsonNode ringHash, FieldPath path, ParseContext ctx) {
        if (!ringHash.isObject()) {
            ctx.report(DiagnosticCode.WRONG_TYPE, path, ringHash + " (expected: a mapping)");
            return null;
        }
        Long size = null;
        for (Map.Entry<String, JsonNode> e : ringHash.properties()) {
            FieldPath fp = path.field(e.getKey());
            JsonNode v = e.getValue();
            if (!e.getKey().equals("minimumRingSize")) {
                ctx.report(DiagnosticCode.UNKNOWN_FIELD, fp, "unknown field (expected: one of [minimumRingSize])");
            } else if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                ctx.report(DiagnosticCode.WRONG_TYPE, fp, v + " (expected: an integer)");
            } else if (v.asLong() < 0) {
                ctx.invalid(fp, v.asLong() + " (expected: >= 0)");
            } else {
                size = v.asLong();
            }
        }
        return size;
    }

    private static @Nullable HttpCookie cookie(
            LoadBalancerSettingsConsistentHashLBHTTPCookie_ in, FieldPath path, ParseContext ctx) {
        boolean named = ctx.require(path.field("name"), in.getName(), "the cookie name");
        if (in.getTtl() == null) {
            ctx.missing(path.field("ttl"), "the cookie's time to live, e.g. 0s for a session cookie");
        }
        Duration ttl = ctx.duration(path.field("ttl"), in.getTtl(), DurationRule.NON_NEGATIVE);
        return named ? new HttpCookie(in.getName(), in.getPath(), ttl) : null;
    }
}
