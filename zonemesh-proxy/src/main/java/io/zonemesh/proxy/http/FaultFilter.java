package io.zonemesh.proxy.http;

import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.FaultConfig;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.config.RouteRule;

/** Which fault config applies to a request: Envoy's per-route override of the filter-wide config. */
final class FaultFilter {
    /** Envoy's local-reply body for an injected abort. */
    static final String ABORT_BODY = "fault filter abort";

    private FaultFilter() {}

    /**
     * The route's fault config when it has one, else the filter-wide one; null when the
     * listener's HCM has no fault filter (a route's config alone injects nothing in Envoy).
     */
    static @Nullable FaultConfig effective(@Nullable ListenerConfig listener, @Nullable RouteRule route) {
        if (listener == null || listener.faultFilter() == null) {
            return null;
        }
        if (route != null && route.fault() != null) {
            return route.fault();
        }
        return listener.faultFilter();
    }
}
