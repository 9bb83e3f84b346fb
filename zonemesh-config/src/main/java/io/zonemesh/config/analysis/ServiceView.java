package io.zonemesh.config.analysis;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A host callers address: a Kubernetes Service or one ServiceEntry host, with its endpoints.
 *
 * @param selector the Kubernetes Service's selector; null for ServiceEntries
 * @param trafficDistribution Kubernetes {@code spec.trafficDistribution} (or Istio's annotation)
 */
record ServiceView(
        String host,
        String namespace,
        ResourceMeta meta,
        List<EndpointView> endpoints,
        @Nullable Map<String, String> selector,
        @Nullable String trafficDistribution) {

    /** The distinct non-empty localities of the endpoints, in endpoint order. */
    Set<Locality> localities() {
        Set<Locality> out = new LinkedHashSet<>();
        for (EndpointView e : endpoints) {
            if (!e.locality().isEmpty()) {
                out.add(e.locality());
            }
        }
        return out;
    }
}
