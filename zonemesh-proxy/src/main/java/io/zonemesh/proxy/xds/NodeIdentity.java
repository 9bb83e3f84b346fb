package io.zonemesh.proxy.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who this proxy is, as announced to the control plane in {@code DiscoveryRequest.node}
 * (XDS_SHAPES.md "Node"): {@code id} is {@code <podName>.<namespace>}, {@code cluster} is
 * {@code <owner>.<namespace>}, the locality is what the proxy knows of its own placement (may
 * be empty; the control plane's registry wins), and the metadata carries {@code NAMESPACE},
 * {@code NAME}, {@code LABELS} and {@code PROXY_TYPE}, plus, when set, Istio's multi-cluster keys
 * {@code CLUSTER_ID}, {@code NETWORK} and {@code REQUESTED_NETWORK_VIEW}.
 *
 * @param clusterId {@code ISTIO_META_CLUSTER_ID}, "" when unset
 * @param network {@code ISTIO_META_NETWORK}: the network this proxy's endpoints are on ("" when unset)
 * @param requestedNetworkView {@code ISTIO_META_REQUESTED_NETWORK_VIEW}: comma-separated networks
 *     whose endpoints a gateway wants to see ("" for all)
 */
public record NodeIdentity(
        String id,
        String cluster,
        String namespace,
        String podName,
        Map<String, String> labels,
        String region,
        String zone,
        String subZone,
        ProxyType proxyType,
        String clusterId,
        String network,
        String requestedNetworkView) {

    /** {@code node.user_agent_name}. */
    public static final String USER_AGENT = "zonemesh";

    public NodeIdentity {
        requireNonEmpty(id, "id");
        requireNonEmpty(cluster, "cluster");
        requireNonEmpty(namespace, "namespace");
        requireNonEmpty(podName, "podName");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(subZone, "subZone");
        Objects.requireNonNull(proxyType, "proxyType");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(requestedNetworkView, "requestedNetworkView");
    }

    /** An identity without the multi-cluster metadata. */
    public NodeIdentity(
            String id,
            String cluster,
            String namespace,
            String podName,
            Map<String, String> labels,
            String region,
            String zone,
            String subZone,
            ProxyType proxyType) {
        this(id, cluster, namespace, podName, labels, region, zone, subZone, proxyType, "", "", "");
    }

    /**
     * The identity of a sidecar for pod {@code podName} of workload {@code owner}, with the
     * ids XDS_SHAPES.md prescribes and no labels or locality.
     */
    public static NodeIdentity sidecar(String podName, String namespace, String owner) {
        return new NodeIdentity(
                podName + "." + namespace,
                owner + "." + namespace,
                namespace,
                podName,
                Map.of(),
                "",
                "",
                "",
                ProxyType.SIDECAR);
    }

    /**
     * This identity with Istio's node id, {@code <type>~<ip>~<pod>.<namespace>~<namespace>.svc.<domainSuffix>}
     * (pilot-agent's {@code sidecar~10.1.2.3~sleep-0.sample~sample.svc.cluster.local}), which the
     * control plane resolves against the Pod in its registry; {@code ip} is the pod IP
     * ({@code INSTANCE_IP} from the downward API in an injected pod).
     */
    public NodeIdentity withIstioId(String ip, String domainSuffix) {
        requireNonEmpty(ip, "ip");
        String type = proxyType == ProxyType.ROUTER ? "router" : "sidecar";
        return new NodeIdentity(
                type + "~" + ip + "~" + podName + "." + namespace + "~" + namespace + ".svc." + domainSuffix,
                cluster,
                namespace,
                podName,
                labels,
                region,
                zone,
                subZone,
                proxyType,
                clusterId,
                network,
                requestedNetworkView);
    }

    public NodeIdentity withLabels(Map<String, String> newLabels) {
        return new NodeIdentity(
                id,
                cluster,
                namespace,
                podName,
                newLabels,
                region,
                zone,
                subZone,
                proxyType,
                clusterId,
                network,
                requestedNetworkView);
    }

    public NodeIdentity withLocality(String newRegion, String newZone, String newSubZone) {
        return new NodeIdentity(
                id,
                cluster,
                namespace,
                podName,
                labels,
                newRegion,
                newZone,
                newSubZone,
                proxyType,
                clusterId,
                network,
                requestedNetworkView);
    }

    public NodeIdentity withProxyType(ProxyType newType) {
        return new NodeIdentity(
                id,
                cluster,
                namespace,
                podName,
                labels,
                region,
                zone,
                subZone,
                newType,
                clusterId,
                network,
                requestedNetworkView);
    }

    /**
     * This identity with Istio's multi-cluster node metadata: the control plane uses
     * {@code CLUSTER_ID} and {@code NETWORK} for split horizon (endpoints on another network are
     * reached through that network's gateway) and {@code REQUESTED_NETWORK_VIEW} to limit a
     * gateway's view to the listed networks' endpoints.
     */
    public NodeIdentity withMultiCluster(String newClusterId, String newNetwork, String newRequestedNetworkView) {
        return new NodeIdentity(
                id,
                cluster,
                namespace,
                podName,
                labels,
                region,
                zone,
                subZone,
                proxyType,
                newClusterId,
                newNetwork,
                newRequestedNetworkView);
    }

    /** The node locality as endpoints spell theirs ({@code region/zone/subzone}), "" when all parts are empty. */
    public String locality() {
        return region.isEmpty() && zone.isEmpty() && subZone.isEmpty() ? "" : region + "/" + zone + "/" + subZone;
    }

    /** The xDS {@code Node} message. */
    public Node toNode() {
        Struct.Builder labelStruct = Struct.newBuilder();
        // Sorted so that the same identity always serializes to the same bytes.
        new TreeMap<>(labels).forEach((k, v) -> labelStruct.putFields(k, string(v)));
        Struct.Builder metadata = Struct.newBuilder()
                .putFields("NAMESPACE", string(namespace))
                .putFields("NAME", string(podName))
                .putFields(
                        "LABELS", Value.newBuilder().setStructValue(labelStruct).build())
                .putFields("PROXY_TYPE", string(proxyType.metadataValue()));
        putIfSet(metadata, "CLUSTER_ID", clusterId);
        putIfSet(metadata, "NETWORK", network);
        putIfSet(metadata, "REQUESTED_NETWORK_VIEW", requestedNetworkView);
        return Node.newBuilder()
                .setId(id)
                .setCluster(cluster)
                .setLocality(
                        Locality.newBuilder().setRegion(region).setZone(zone).setSubZone(subZone))
                .setMetadata(metadata)
                .setUserAgentName(USER_AGENT)
                .build();
    }

    /** As pilot-agent, which sends only the ISTIO_META_* variables that are set. */
    private static void putIfSet(Struct.Builder metadata, String key, String value) {
        if (!value.isEmpty()) {
            metadata.putFields(key, string(value));
        }
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static void requireNonEmpty(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(field + ": \"\" (expected: non-empty)");
        }
    }
}
