package io.zonemesh.proxy.admin;

import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.identity.WorkloadSecret;
import io.zonemesh.proxy.http.ConnectionPools;
import io.zonemesh.proxy.metrics.ProxyMetrics;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import io.zonemesh.proxy.xds.XdsStatus;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the admin pages read and the one thing they change (draining).
 *
 * @param fatalError why the proxy cannot serve any more (an event loop died), or null while it can;
 *     {@code /ready} then answers 503
 * @param workloadSecret the certificate served as SDS {@code default}, for {@code /certs}
 * @param clock for {@code /certs}' days until expiration
 * @param certificateReady false while a proxy with a CA client waits for its first certificate
 *     ({@code /ready} then answers 503, as Envoy warms listeners and clusters until SDS answers)
 */
public record AdminContext(
        Supplier<ProxySnapshot> snapshots,
        Supplier<XdsStatus> xdsStatus,
        ConnectionPools pools,
        ProxyMetrics metrics,
        Drainer drainer,
        Supplier<Map<String, InetSocketAddress>> listeners,
        Supplier<@Nullable String> fatalError,
        Supplier<@Nullable WorkloadSecret> workloadSecret,
        Clock clock,
        BooleanSupplier certificateReady) {

    /** A context for a proxy without workload certificates. */
    public AdminContext(
            Supplier<ProxySnapshot> snapshots,
            Supplier<XdsStatus> xdsStatus,
            ConnectionPools pools,
            ProxyMetrics metrics,
            Drainer drainer,
            Supplier<Map<String, InetSocketAddress>> listeners,
            Supplier<@Nullable String> fatalError) {
        this(snapshots, xdsStatus, pools, metrics, drainer, listeners, fatalError, () -> null, Clock.system(), () -> true);
    }

    /** A context for a proxy that reports no fatal error. */
    public AdminContext(
            Supplier<ProxySnapshot> snapshots,
            Supplier<XdsStatus> xdsStatus,
            ConnectionPools pools,
            ProxyMetrics metrics,
            Drainer drainer,
            Supplier<Map<String, InetSocketAddress>> listeners) {
        this(snapshots, xdsStatus, pools, metrics, drainer, listeners, () -> null);
    }

    public AdminContext {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(xdsStatus, "xdsStatus");
        Objects.requireNonNull(pools, "pools");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(drainer, "drainer");
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(fatalError, "fatalError");
        Objects.requireNonNull(workloadSecret, "workloadSecret");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(certificateReady, "certificateReady");
    }

    /** Drains the proxy's listeners, as {@code POST /drain_listeners} asks. */
    @FunctionalInterface
    public interface Drainer {
        /**
         * Drains the listeners.
         *
         * @param graceful first discourage connections for the drain time, then stop accepting
         * @param inboundOnly leave the outbound listener alone
         */
        void drainListeners(boolean graceful, boolean inboundOnly);
    }
}
