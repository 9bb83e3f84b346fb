package io.zonemesh.xds.scope;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.VirtualServiceConfig;
import java.util.List;
import java.util.Objects;

/**
 * The VirtualService that routes a host for sidecars in a namespace: one bound to the {@code mesh}
 * gateway (no gateways, or {@code mesh} listed), exported to the namespace, whose host matches
 * (exact before the longest wildcard; short names resolved in the VirtualService's namespace). When
 * several match equally, the first in the snapshot's order wins; Istio would merge them.
 */
public final class VirtualServiceLookup {
    private static final String MESH_GATEWAY = "mesh";

    private final List<VirtualServiceConfig> virtualServices;
    private final String domainSuffix;

    public VirtualServiceLookup(List<VirtualServiceConfig> virtualServices, String domainSuffix) {
        this.virtualServices = List.copyOf(virtualServices);
        this.domainSuffix = Objects.requireNonNull(domainSuffix, "domainSuffix");
    }

    public @Nullable VirtualServiceConfig find(String proxyNamespace, String hostname) {
        VirtualServiceConfig best = null;
        int bestSpecificity = -1;
        for (VirtualServiceConfig vs : virtualServices) {
            String ns = vs.meta().namespace();
            if (!(vs.gateways().isEmpty() || vs.gateways().contains(MESH_GATEWAY))
                    || !Hostnames.exportedTo(vs.exportTo(), ns, proxyNamespace)) {
                continue;
            }
            for (String host : vs.hosts()) {
                String resolved = Hostnames.resolve(host, ns, domainSuffix);
                if (Hostnames.matches(resolved, hostname) && Hostnames.specificity(resolved) > bestSpecificity) {
                    best = vs;
                    bestSpecificity = Hostnames.specificity(resolved);
                }
            }
        }
        return best;
    }

    /** A destination host of a route, with a short name resolved in the VirtualService's namespace. */
    public String resolve(VirtualServiceConfig vs, String host) {
        return Hostnames.resolve(host, vs.meta().namespace(), domainSuffix);
    }
}
