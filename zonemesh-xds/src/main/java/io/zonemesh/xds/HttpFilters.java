package io.zonemesh.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.zonemesh.xds.route.Faults;
import java.util.List;

/** The HTTP filter chains of the HTTP connection managers the generators emit. */
final class HttpFilters {
    static final String ROUTER = "envoy.filters.http.router";

    private HttpFilters() {}

    /**
     * Fault then Router, on every HCM whose routes may come from VirtualServices. The fault filter
     * is always present with an empty config, as Istio emits it on sidecar outbound, gateway and
     * proxyless gRPC HCMs; each route turns it on through {@code typed_per_filter_config}, so adding
     * a fault to a VirtualService changes only RDS, never the listener.
     */
    static List<HttpFilter> withFault() {
        return List.of(fault(), router());
    }

    static HttpFilter fault() {
        return HttpFilter.newBuilder()
                .setName(Faults.FILTER_NAME)
                .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance()))
                .build();
    }

    /** The terminal Router, typed so grpc-java accepts it (it NACKs a last filter that is not Router). */
    static HttpFilter router() {
        return HttpFilter.newBuilder()
                .setName(ROUTER)
                .setTypedConfig(Any.pack(Router.getDefaultInstance()))
                .build();
    }
}
