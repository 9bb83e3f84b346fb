package io.zonemesh.xds;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * LDS and RDS for proxyless gRPC clients, Istio's {@code grpcgen} (LOCALITY.md §5.3, XDS_INTEROP.md):
 * per visible service port an {@code api_listener} Listener for each name a caller may put in its
 * {@code xds:///<name>:<port>} target, all pointing over RDS to one RouteConfiguration named like
 * the service port's cluster, {@code outbound|<port>||<host>}.
 *
 * <p>Istio builds only the listeners a client asks for; the generator's output is shared by a whole
 * proxy group and cached, so every name form is emitted and the ADS server answers each
 * subscription from them.
 */
final class GrpcGenerator {
    private GrpcGenerator() {}

    static List<Listener> listeners(OutboundScope scope) {
        List<Listener> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Service s : scope.services) {
            for (ServicePort port : s.ports()) {
                String routeName = ClusterNames.outbound(port.port(), null, s.hostname());
                if (!RouteGenerator.isHttp(port) || !scope.routable(routeName)) {
                    // Services resolved by DNS have no cluster for grpc clients.
                    continue;
                }
                for (String form : forms(scope, s)) {
                    String name = form + ":" + port.port();
                    if (names.add(name)) {
                        out.add(Listener.newBuilder()
                                .setName(name)
                                .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm(routeName))))
                                .build());
                    }
                }
            }
        }
        return out;
    }

    /**
     * One RouteConfiguration per service port with one virtual host whose domains are every name
     * form with and without the port (grpc matches the target's authority against them), holding the
     * port's VirtualService routes as grpc understands them, or the default route.
     */
    static List<RouteConfiguration> routes(OutboundScope scope) {
        List<RouteConfiguration> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Service s : scope.services) {
            for (ServicePort port : s.ports()) {
                String name = ClusterNames.outbound(port.port(), null, s.hostname());
                if (!RouteGenerator.isHttp(port) || !scope.routable(name) || !seen.add(name)) {
                    continue;
                }
                Set<String> domains = new LinkedHashSet<>();
                for (String form : forms(scope, s)) {
                    domains.add(form);
                    domains.add(form + ":" + port.port());
                }
                out.add(RouteConfiguration.newBuilder()
                        .setName(name)
                        .setValidateClusters(BoolValue.of(false))
                        .addVirtualHosts(VirtualHost.newBuilder()
                                .setName(s.hostname() + ":" + port.port())
                                .addAllDomains(domains)
                                .addAllRoutes(RouteGenerator.serviceRoutes(scope, s, port.port())))
                        .build());
            }
        }
        return out;
    }

    private static List<String> forms(OutboundScope scope, Service s) {
        return VirtualHostDomains.hostForms(
                s, scope.proxy.namespace(), scope.state.settings().domainSuffix());
    }

    /**
     * RDS over ADS and the filters grpc-java registers, fault then the typed Router last (it NACKs
     * anything else, LOCALITY.md §5.3).
     */
    private static HttpConnectionManager hcm(String routeName) {
        return HttpConnectionManager.newBuilder()
                .setRds(Rds.newBuilder()
                        .setConfigSource(ClusterGenerator.adsConfigSource())
                        .setRouteConfigName(routeName))
                .addAllHttpFilters(HttpFilters.withFault())
                .build();
    }
}
