package io.zonemesh.xds.scope;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.IstioHosts;
import io.zonemesh.model.istio.VirtualServiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which VirtualServices apply where: to a host for sidecars (bound to the {@code mesh} gateway) and
 * to a Gateway's servers, always restricted to those exported to the proxy's namespace.
 *
 * <p>Hosts are resolved in the VirtualService's namespace ({@link #resolve}). For a service host
 * the most specific VirtualService host wins (exact before the longest wildcard); when several match
 * equally, the first in the snapshot's order wins (Istio orders by creation time and rejects such
 * duplicates for sidecars).
 */
public final class VirtualServiceLookup {
    /** The implicit gateway of all sidecars. */
    public static final String MESH_GATEWAY = "mesh";

    private final List<VirtualServiceConfig> virtualServices;
    private final String domainSuffix;
    private final Predicate<String> known;

    /**
     * @param known whether a host name is a service the proxy can see, to pick among the names a
     *     written host may stand for
     */
    public VirtualServiceLookup(
            List<VirtualServiceConfig> virtualServices, String domainSuffix, Predicate<String> known) {
        this.virtualServices = List.copyOf(virtualServices);
        this.domainSuffix = Objects.requireNonNull(domainSuffix, "domainSuffix");
        this.known = Objects.requireNonNull(known, "known");
    }

    /** The mesh-bound VirtualService routing {@code hostname} for sidecars in {@code proxyNamespace}, or null. */
    public @Nullable VirtualServiceConfig find(String proxyNamespace, String hostname) {
        VirtualServiceConfig best = null;
        int bestSpecificity = -1;
        for (VirtualServiceConfig vs : meshBound(proxyNamespace)) {
            for (String host : hosts(vs)) {
                if (Hostnames.matches(host, hostname) && Hostnames.specificity(host) > bestSpecificity) {
                    best = vs;
                    bestSpecificity = Hostnames.specificity(host);
                }
            }
        }
        return best;
    }

    /** VirtualServices bound to {@code mesh} (no gateways, or {@code mesh} listed) visible in the namespace. */
    public List<VirtualServiceConfig> meshBound(String proxyNamespace) {
        return boundTo(MESH_GATEWAY, proxyNamespace);
    }

    /**
     * VirtualServices bound to the gateway {@code namespace/name} visible in the proxy's namespace,
     * Istio's {@code VirtualServicesForGateway}.
     */
    public List<VirtualServiceConfig> boundTo(String gatewayName, String proxyNamespace) {
        List<VirtualServiceConfig> out = new ArrayList<>();
        for (VirtualServiceConfig vs : virtualServices) {
            if (gateways(vs).contains(gatewayName)
                    && Hostnames.exportedTo(vs.exportTo(), vs.meta().namespace(), proxyNamespace)) {
                out.add(vs);
            }
        }
        return out;
    }

    /** The VirtualService's gateways as {@code namespace/name} (or {@code mesh}); none means {@code mesh}. */
    public static List<String> gateways(VirtualServiceConfig vs) {
        if (vs.gateways().isEmpty()) {
            return List.of(MESH_GATEWAY);
        }
        return gatewayNames(vs.gateways(), vs.meta().namespace());
    }

    /**
     * Istio's {@code resolveGatewayName}: {@code mesh} stays, {@code ns/name} stays, a bare
     * gateway name is in the VirtualService's namespace.
     */
    public static List<String> gatewayNames(List<String> names, String namespace) {
        List<String> out = new ArrayList<>();
        for (String g : names) {
            out.add(g.equals(MESH_GATEWAY) || g.contains("/") ? g : namespace + "/" + g);
        }
        return out;
    }

    /** The VirtualService's hosts, each {@link #resolve resolved} in its namespace. */
    public List<String> hosts(VirtualServiceConfig vs) {
        List<String> out = new ArrayList<>();
        for (String host : vs.hosts()) {
            out.add(resolve(vs, host));
        }
        return out;
    }

    /**
     * A host written in the VirtualService (in its host list or a destination): the first of
     * {@link IstioHosts#candidates} that is a known service, so both a ServiceEntry's
     * {@code httpbin.org} and the Kubernetes form {@code name.namespace} find their service; else
     * Istio's reading, which expands only a single label ({@code reviews}) and keeps anything with a
     * dot (an external name such as {@code shop.example}).
     */
    public String resolve(VirtualServiceConfig vs, String host) {
        for (String c : IstioHosts.candidates(host, vs.meta().namespace(), domainSuffix)) {
            if (known.test(c)) {
                return c;
            }
        }
        return Hostnames.resolve(host, vs.meta().namespace(), domainSuffix);
    }
}
