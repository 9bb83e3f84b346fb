package io.zonemesh.proxy.http;

import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the handlers of one listener share: which xDS listener they serve, where the current
 * snapshot is, the upstream pools, who hears about finished requests, time, randomness, and the
 * listener's drain state.
 *
 * @param random must be thread-safe: every event loop draws from it
 * @param chainRoutes the RDS route configuration of the TLS filter chain a connection matched,
 *     null to use the listener's own
 * @param scheme {@code https} on TLS connections, else {@code http}
 */
public record ListenerContext(String listenerName, Direction direction, Supplier<ProxySnapshot> snapshots,
        ConnectionPools pools, RequestObserver observer, Clock clock, RandomSource random, DrainState drain,
        @Nullable String chainRoutes, String scheme) {

    /** A plaintext listener's context. */
    public ListenerContext(String listenerName, Direction direction, Supplier<ProxySnapshot> snapshots,
            ConnectionPools pools, RequestObserver observer, Clock clock, RandomSource random, DrainState drain) {
        this(listenerName, direction, snapshots, pools, observer, clock, random, drain, null, "http");
    }

    /** This context for connections of a TLS chain routed by {@code routeConfigName}. */
    public ListenerContext forTlsChain(String routeConfigName) {
        return new ListenerContext(listenerName, direction, snapshots, pools, observer, clock, random, drain,
                Objects.requireNonNull(routeConfigName, "routeConfigName"), "https");
    }

    public ListenerContext {
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(pools, "pools");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(scheme, "scheme");
    }
}
