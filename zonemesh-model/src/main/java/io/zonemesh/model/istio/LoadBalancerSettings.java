package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.time.Duration;

/**
 * {@code trafficPolicy.loadBalancer}: {@code simple} xor {@code consistentHash}, plus locality
 * ({@code localityLbSetting} or, Istio 1.31, {@code zoneAwareLbSetting}; at most one of them).
 */
public record LoadBalancerSettings(
        @Nullable SimpleLb simple,
        @Nullable ConsistentHash consistentHash,
        @Nullable LocalityLbSetting localityLbSetting,
        @Nullable Duration warmup,
        @Nullable ZoneAwareLbSetting zoneAwareLbSetting) {

    /** Settings without {@code zoneAwareLbSetting}. */
    public LoadBalancerSettings(
            @Nullable SimpleLb simple,
            @Nullable ConsistentHash consistentHash,
            @Nullable LocalityLbSetting localityLbSetting,
            @Nullable Duration warmup) {
        this(simple, consistentHash, localityLbSetting, warmup, null);
    }

    /** Istio's {@code SimpleLB}. */
    public enum SimpleLb {
        UNSPECIFIED,
        LEAST_CONN,
        RANDOM,
        PASSTHROUGH,
        ROUND_ROBIN,
        LEAST_REQUEST
    }

    /** {@code consistentHash}: exactly one key source. */
    public record ConsistentHash(
            @Nullable String httpHeaderName,
            @Nullable HttpCookie httpCookie,
            boolean useSourceIp,
            @Nullable String httpQueryParameterName,
            @Nullable Long minimumRingSize,
            @Nullable Long maglevTableSize) {}

    /** {@code consistentHash.httpCookie}. */
    public record HttpCookie(
            String name, @Nullable String path, @Nullable Duration ttl) {}
}
