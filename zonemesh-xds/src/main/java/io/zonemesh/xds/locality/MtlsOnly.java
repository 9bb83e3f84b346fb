package io.zonemesh.xds.locality;

import io.zonemesh.model.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * istiod's {@code EndpointsWithMTLSFilter} (pilot/pkg/xds/endpoints/ep_filters.go): keeps only the
 * endpoints the mesh sends mutual TLS (and gateway endpoints, which always carry
 * {@code tlsMode: istio}); a group left empty is dropped, the others' weights are re-summed.
 */
public final class MtlsOnly {
    private MtlsOnly() {}

    public static List<LocalityGroup> apply(
            List<LocalityGroup> groups, Set<Endpoint> gatewayEndpoints, Predicate<Endpoint> mtls) {
        List<LocalityGroup> out = new ArrayList<>();
        for (LocalityGroup g : groups) {
            List<Endpoint> kept = new ArrayList<>();
            for (Endpoint e : g.endpoints()) {
                if (gatewayEndpoints.contains(e) || mtls.test(e)) {
                    kept.add(e);
                }
            }
            if (!kept.isEmpty()) {
                out.add(new LocalityGroup(g.locality(), g.priority(), LocalityGroup.sumOfWeights(kept), kept));
            }
        }
        return List.copyOf(out);
    }
}
