package io.zonemesh.xds.route;

import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.VirtualServiceConfig.Fault;
import io.zonemesh.xds.cluster.Protos;

/**
 * VirtualService {@code fault} to the {@code envoy.filters.http.fault} per-route config
 * ({@code HTTPFault}), Istio's {@code TranslateFault}.
 */
public final class Faults {
    /** The HTTP filter name, also the key of the route's {@code typed_per_filter_config}. */
    public static final String FILTER_NAME = "envoy.filters.http.fault";

    private Faults() {}

    /** The per-route fault config, or null when the rule injects nothing. */
    public static @Nullable HTTPFault of(@Nullable Fault fault) {
        if (fault == null || (fault.delay() == null && fault.abort() == null)) {
            return null;
        }
        HTTPFault.Builder out = HTTPFault.newBuilder();
        if (fault.delay() != null) {
            out.setDelay(FaultDelay.newBuilder()
                    .setFixedDelay(Protos.duration(fault.delay().fixedDelay()))
                    .setPercentage(Percentages.million(fault.delay().percentage())));
        }
        if (fault.abort() != null) {
            out.setAbort(FaultAbort.newBuilder()
                    .setHttpStatus(fault.abort().httpStatus())
                    .setPercentage(Percentages.million(fault.abort().percentage())));
        }
        return out.build();
    }
}
