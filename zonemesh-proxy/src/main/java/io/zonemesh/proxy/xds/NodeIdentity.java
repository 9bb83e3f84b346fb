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
 * {@code NAME}, {@code LABELS} and {@code PROXY_TYPE}.
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
        ProxyType proxyType) {

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
                proxyType);
    }

    public NodeIdentity withLabels(Map<String, String> newLabels) {
        return new NodeIdentity(id, cluster, namespace, podName, newLabels, region, zone, subZone, proxyType);
    }

    public NodeIdentity withLocality(String newRegion, String newZone, String newSubZone) {
        return new NodeIdentity(id, cluster, namespace, podName, labels, newRegion, newZone, newSubZone, proxyType);
    }

    public NodeIdentity withProxyType(ProxyType newType) {
        return new NodeIdentity(id, cluster, namespace, podName, labels, region, zone, subZone, newType);
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
        Struct metadata = Struct.newBuilder()
                .putFields("NAMESPACE", string(namespace))
                .putFields("NAME", string(podName))
                .putFields(
                        "LABELS", Value.newBuilder().setStructValue(labelStruct).build())
                .putFields("PROXY_TYPE", string(proxyType.metadataValue()))
                .build();
        return Node.newBuilder()
                .setId(id)
                .setCluster(cluster)
                .setLocality(
                        Locality.newBuilder().setRegion(region).setZone(zone).setSubZone(subZone))
                .setMetadata(metadata)
                .setUserAgentName(USER_AGENT)
                .build();
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
