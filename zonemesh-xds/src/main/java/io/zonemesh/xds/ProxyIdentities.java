package io.zonemesh.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link ProxyIdentity} from what a proxy announces in its xDS {@code Node}
 * (docs/XDS_SHAPES.md "Node") and what the registry knows of its workload.
 */
public final class ProxyIdentities {
    /** The client feature grpc-java announces (LOCALITY.md §5.2). */
    public static final String NO_OVERPROVISIONING_FEATURE = "envoy.lb.does_not_support_overprovisioning";

    static final String META_NAMESPACE = "NAMESPACE";
    static final String META_NAME = "NAME";
    static final String META_LABELS = "LABELS";
    static final String META_PROXY_TYPE = "PROXY_TYPE";
    static final String META_CLUSTER_ID = "CLUSTER_ID";
    static final String META_NETWORK = "NETWORK";
    /** Istio's {@code REQUESTED_NETWORK_VIEW}, a comma-separated {@code StringList}. */
    static final String META_REQUESTED_NETWORK_VIEW = "REQUESTED_NETWORK_VIEW";
    /** The workload label istiod reads a proxy's and an endpoint's network from. */
    static final String NETWORK_LABEL = "topology.istio.io/network";

    private ProxyIdentities() {}

    /**
     * The identity of the proxy that sent {@code node}.
     *
     * <p>The registry's workload wins for labels, owner, node and locality, as istiod's
     * {@code setTopologyLabels} prefers registry data over {@code Node.locality} (LOCALITY.md
     * §2.3); a workload without a locality falls back to the Node's. Cluster and network come
     * from the optional {@code CLUSTER_ID}/{@code NETWORK} metadata (Istio's keys), else the mesh's.
     *
     * @param workload the registry's workload for this proxy, or null when it is unknown
     * @param appPorts inbound port to the application's {@code host:port}
     */
    public static ProxyIdentity fromNode(
            Node node, @Nullable Workload workload, MeshSettings mesh, Map<Integer, String> appPorts) {
        Struct meta = node.getMetadata();
        String id = node.getId();
        int dot = id.lastIndexOf('.');
        String namespace = firstNonEmpty(string(meta, META_NAMESPACE), dot > 0 ? id.substring(dot + 1) : "");
        if (workload != null) {
            namespace = workload.namespace();
        }
        if (namespace.isEmpty()) {
            throw new IllegalArgumentException(
                    "node.id: " + id + " (expected: <podName>.<namespace> or " + "metadata NAMESPACE)");
        }
        String podName = firstNonEmpty(string(meta, META_NAME), dot > 0 ? id.substring(0, dot) : id);
        String owner = ownerFromCluster(node.getCluster(), namespace);
        Map<String, String> labels = labels(meta);
        Locality locality = fromProto(node.getLocality());
        String nodeName = "";
        if (workload != null) {
            podName = workload.name();
            owner = workload.owner();
            labels = workload.labels();
            nodeName = workload.nodeName();
            if (!workload.locality().isEmpty()) {
                locality = workload.locality();
            }
        }
        ProxyIdentity.ProxyType type =
                "router".equals(string(meta, META_PROXY_TYPE).toLowerCase(Locale.ROOT))
                        ? ProxyIdentity.ProxyType.ROUTER
                        : ProxyIdentity.ProxyType.SIDECAR;
        boolean noOverprovisioning = node.getClientFeaturesList().contains(NO_OVERPROVISIONING_FEATURE);
        String cluster = firstNonEmpty(string(meta, META_CLUSTER_ID), nullToEmpty(mesh.clusterName()));
        // istiod: ISTIO_META_NETWORK, else what the registry says of the workload (its
        // topology.istio.io/network label, else the cluster's network).
        String network = firstNonEmpty(
                string(meta, META_NETWORK),
                firstNonEmpty(nullToEmpty(labels.get(NETWORK_LABEL)), nullToEmpty(mesh.network())));
        List<String> view = new ArrayList<>();
        for (String part : string(meta, META_REQUESTED_NETWORK_VIEW).split(",", -1)) {
            if (!part.trim().isEmpty()) {
                view.add(part.trim());
            }
        }
        return new ProxyIdentity(
                namespace,
                podName,
                owner,
                labels,
                locality,
                type,
                noOverprovisioning,
                appPorts,
                nodeName,
                cluster,
                network,
                view);
    }

    private static String ownerFromCluster(String cluster, String namespace) {
        String suffix = "." + namespace;
        return cluster.endsWith(suffix) ? cluster.substring(0, cluster.length() - suffix.length()) : cluster;
    }

    private static Locality fromProto(io.envoyproxy.envoy.config.core.v3.Locality locality) {
        return new Locality(locality.getRegion(), locality.getZone(), locality.getSubZone());
    }

    private static Map<String, String> labels(Struct meta) {
        Value value = meta.getFieldsOrDefault(META_LABELS, null);
        Map<String, String> out = new HashMap<>();
        if (value != null && value.hasStructValue()) {
            value.getStructValue().getFieldsMap().forEach((k, v) -> {
                if (v.hasStringValue()) {
                    out.put(k, v.getStringValue());
                }
            });
        }
        return out;
    }

    private static String string(Struct meta, String key) {
        Value value = meta.getFieldsOrDefault(key, null);
        return value != null && value.hasStringValue() ? value.getStringValue() : "";
    }

    private static String firstNonEmpty(String first, String second) {
        return first.isEmpty() ? second : first;
    }

    private static String nullToEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }
}
