package io.zonemesh.proxy.http;

import io.zonemesh.common.Clock;
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
 */
public record ListenerContext(String listenerName, Direction direction, Supplier<ProxySnapshot> snapshots,
        ConnectionPools pools, RequestObserver observer, Clock clock, RandomSource random, DrainState drain) {

    public ListenerContext {
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(pools, "pools");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(drain, "drain");
    }
}
