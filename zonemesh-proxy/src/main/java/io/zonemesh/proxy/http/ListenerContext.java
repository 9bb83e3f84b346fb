package io.zonemesh.proxy.http;

import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.config.FilterChainConfig;
import io.zonemesh.proxy.config.ForwardClientCert;
import io.zonemesh.proxy.config.RouteTable;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import java.time.Duration;
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
 * @param chainInlineRoutes the inline route configuration of the filter chain a connection
 *     matched (Istio's inbound chains), null to use {@code chainRoutes} or the listener's
 * @param forwardClientCert the HCM's {@code x-forwarded-client-cert} handling (Envoy's default
 *     SANITIZE unless the matched chain says otherwise)
 * @param streamIdleTimeout Envoy's HCM {@code stream_idle_timeout}: how long a request may see no
 *     activity (no response head or body piece on its way to the client) before it is answered
 *     504 {@code SI}, or reset once its response started; zero disables it
 */
public record ListenerContext(
        String listenerName,
        Direction direction,
        Supplier<ProxySnapshot> snapshots,
        ConnectionPools pools,
        RequestObserver observer,
        Clock clock,
        RandomSource random,
        DrainState drain,
        @Nullable String chainRoutes,
        String scheme,
        Duration streamIdleTimeout,
        @Nullable RouteTable chainInlineRoutes,
        ForwardClientCert forwardClientCert) {

    /** Envoy's {@code stream_idle_timeout} default, which Istio keeps. */
    public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofMinutes(5);

    /** A plaintext listener's context with Envoy's default stream idle timeout. */
    public ListenerContext(
            String listenerName,
            Direction direction,
            Supplier<ProxySnapshot> snapshots,
            ConnectionPools pools,
            RequestObserver observer,
            Clock clock,
            RandomSource random,
            DrainState drain) {
        this(
                listenerName,
                direction,
                snapshots,
                pools,
                observer,
                clock,
                random,
                drain,
                null,
                "http",
                DEFAULT_STREAM_IDLE_TIMEOUT,
                null,
                ForwardClientCert.SANITIZE);
    }

    /** This context for connections of a TLS chain routed by {@code routeConfigName}. */
    public ListenerContext forTlsChain(String routeConfigName) {
        return new ListenerContext(
                listenerName,
                direction,
                snapshots,
                pools,
                observer,
                clock,
                random,
                drain,
                Objects.requireNonNull(routeConfigName, "routeConfigName"),
                "https",
                streamIdleTimeout,
                null,
                forwardClientCert);
    }

    /** This context for connections of a filter chain matched by port and transport protocol. */
    public ListenerContext forChain(FilterChainConfig chain) {
        return new ListenerContext(
                listenerName,
                direction,
                snapshots,
                pools,
                observer,
                clock,
                random,
                drain,
                chain.rdsName(),
                chain.tls() != null ? "https" : "http",
                streamIdleTimeout,
                chain.inlineRoutes(),
                chain.forwardClientCert());
    }

    /** This context with another {@code stream_idle_timeout} (zero disables it). */
    public ListenerContext withStreamIdleTimeout(Duration timeout) {
        return new ListenerContext(
                listenerName,
                direction,
                snapshots,
                pools,
                observer,
                clock,
                random,
                drain,
                chainRoutes,
                scheme,
                timeout,
                chainInlineRoutes,
                forwardClientCert);
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
        Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
        Objects.requireNonNull(forwardClientCert, "forwardClientCert");
        if (streamIdleTimeout.isNegative()) {
            throw new IllegalArgumentException("streamIdleTimeout: " + streamIdleTimeout + " (expected: >= 0)");
        }
    }
}
