package io.zonemesh.xds.locality;

import io.zonemesh.model.Endpoint;
import io.zonemesh.model.Locality;
import java.util.HashMap;
import java.util.Map;

/**
 * Istio's {@code AugmentLabels} (pilot/pkg/serviceregistry/util/label/label.go): the topology
 * labels added to both the proxy's and every endpoint's labels before {@code failoverPriority}
 * compares them (LOCALITY.md §1.5). Only non-empty values are added, and they override a label
 * of the same name the workload carries.
 */
public final class TopologyLabels {
    public static final String REGION = "topology.kubernetes.io/region";
    public static final String ZONE = "topology.kubernetes.io/zone";
    public static final String SUBZONE = "topology.istio.io/subzone";
    public static final String CLUSTER = "topology.istio.io/cluster";
    public static final String HOSTNAME = "kubernetes.io/hostname";
    public static final String NETWORK = "topology.istio.io/network";

    private TopologyLabels() {}

    /** {@code labels} plus the topology labels of the given placement. */
    public static Map<String, String> augment(
            Map<String, String> labels, Locality locality, String cluster, String nodeName, String network) {
        Map<String, String> out = new HashMap<>(labels);
        putIfNotEmpty(out, REGION, locality.region());
        putIfNotEmpty(out, ZONE, locality.zone());
        putIfNotEmpty(out, SUBZONE, locality.subzone());
        putIfNotEmpty(out, CLUSTER, cluster);
        putIfNotEmpty(out, HOSTNAME, nodeName);
        putIfNotEmpty(out, NETWORK, network);
        return Map.copyOf(out);
    }

    /** An endpoint's labels with its topology labels. */
    public static Map<String, String> of(Endpoint endpoint) {
        return augment(
                endpoint.labels(), endpoint.locality(), endpoint.cluster(), endpoint.nodeName(), endpoint.network());
    }

    private static void putIfNotEmpty(Map<String, String> out, String key, String value) {
        if (!value.isEmpty()) {
            out.put(key, value);
        }
    }
}
