package io.zonemesh.proxy.metrics;

import io.zonemesh.proxy.xds.NodeIdentity;
import java.util.Map;

/**
 * One side of a request as Istio's stats plugin labels it ({@code source_*} or
 * {@code destination_*}), plus zonemesh's zone and region. Every unknown value is
 * {@code unknown}, as Istio prints a peer it has no metadata for.
 */
record WorkloadPeer(
        String workload,
        String namespace,
        String principal,
        String app,
        String version,
        String canonicalService,
        String canonicalRevision,
        String cluster,
        String zone,
        String region) {
    static final String UNKNOWN = "unknown";
    static final WorkloadPeer UNKNOWN_PEER =
            new WorkloadPeer(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);

    /**
     * This proxy's own workload from its node metadata: the workload is the owner part of
     * {@code node.cluster} ({@code <owner>.<namespace>}); app, version and the canonical names
     * follow Istio's label precedence ({@code service.istio.io/canonical-name}, then
     * {@code app.kubernetes.io/name}, then {@code app}, then the workload name; the revision falls
     * back to {@code latest}). zonemesh has no multicluster cluster id: the cluster is unknown.
     */
    static WorkloadPeer local(NodeIdentity node, String principal) {
        String suffix = "." + node.namespace();
        String workload = node.cluster().endsWith(suffix)
                ? node.cluster().substring(0, node.cluster().length() - suffix.length())
                : node.cluster();
        Map<String, String> labels = node.labels();
        String app = first(labels, UNKNOWN, "app", "app.kubernetes.io/name");
        String version = first(labels, UNKNOWN, "version", "app.kubernetes.io/version");
        return new WorkloadPeer(
                workload,
                node.namespace(),
                orUnknown(principal),
                app,
                version,
                first(labels, workload, "service.istio.io/canonical-name", "app.kubernetes.io/name", "app"),
                first(labels, "latest", "service.istio.io/canonical-revision", "app.kubernetes.io/version", "version"),
                UNKNOWN,
                orUnknown(node.zone()),
                orUnknown(node.region()));
    }

    /**
     * The upstream host of an outbound request: locality from EDS, workload from the endpoint's
     * {@code filter_metadata.istio.workload} when it is istiod's
     * {@code <wl>;<ns>;<canonical svc>;<rev>;<cluster>}. zonemesh-xds sends the pod name there
     * instead, which names no workload: those fields stay unknown then.
     */
    static WorkloadPeer upstream(String workloadMetadata, String locality) {
        String[] loc = locality.split("/", -1);
        String region = orUnknown(loc.length > 0 ? loc[0] : "");
        String zone = orUnknown(loc.length > 1 ? loc[1] : "");
        String[] parts = workloadMetadata.split(";", -1);
        if (parts.length != 5) {
            return new WorkloadPeer(
                    UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, zone, region);
        }
        return new WorkloadPeer(
                orUnknown(parts[0]),
                orUnknown(parts[1]),
                UNKNOWN,
                orUnknown(parts[2]),
                orUnknown(parts[3]),
                orUnknown(parts[2]),
                orUnknown(parts[3]),
                orUnknown(parts[4]),
                zone,
                region);
    }

    /** A peer known only by its verified SPIFFE identity (the inbound side without metadata exchange). */
    static WorkloadPeer principalOnly(String principal) {
        return new WorkloadPeer(
                UNKNOWN, UNKNOWN, principal, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);
    }

    private static String first(Map<String, String> labels, String fallback, String... keys) {
        for (String key : keys) {
            String value = labels.get(key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return fallback;
    }

    static String orUnknown(String value) {
        return value.isEmpty() ? UNKNOWN : value;
    }
}
