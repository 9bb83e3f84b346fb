package io.zonemesh.controlplane;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.model.Locality;
import io.zonemesh.registry.MeshRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks what an ADS client says about itself ({@code Node}, docs/XDS_SHAPES.md "Node") against
 * what the registry knows about the pod it claims to be. A node that names a registered pod (by
 * its id {@code <podName>.<namespace>} or, failing that, by its {@code NAMESPACE}/{@code NAME}
 * metadata, the order {@code ProxyIdentities} reads them in) must not contradict that pod's
 * namespace, name, locality or labels. What the node leaves empty is not a contradiction: the
 * registry's data wins for it anyway (istiod's {@code setTopologyLabels}). A node naming no
 * registered pod (a VM's {@code zonemesh proxy}) has nothing to contradict and is accepted.
 *
 * <p>This is not authentication (mTLS on 15012 is a later issue); it stops a client on the
 * plaintext port from claiming a known proxy while announcing another placement.
 */
final class NodeValidator {
    private final MeshRegistry registry;

    NodeValidator(MeshRegistry registry) {
        this.registry = registry;
    }

    /** Every contradiction, {@code "field: value (expected: ...)"} joined by "; ", or null when there is none. */
    @Nullable
    String contradictions(Node node) {
        String id = node.getId();
        String metaNamespace = string(node.getMetadata(), "NAMESPACE");
        String metaName = string(node.getMetadata(), "NAME");
        PodInstance pod = claimedPod(id, metaNamespace, metaName);
        if (pod == null) {
            return null;
        }
        List<String> errors = new ArrayList<>();
        expect(errors, "node.metadata.NAMESPACE", metaNamespace, pod.namespace());
        expect(errors, "node.metadata.NAME", metaName, pod.name());
        if (pod.podIp() != null) {
            expect(errors, "node.id IP", ipPart(id), pod.podIp());
        }
        Locality registered = pod.locality();
        if (!registered.isEmpty()) {
            // Each part the proxy states must match; an empty part is "unknown", not a claim.
            io.envoyproxy.envoy.config.core.v3.Locality sent = node.getLocality();
            expect(errors, "node.locality.region", sent.getRegion(), registered.region());
            expect(errors, "node.locality.zone", sent.getZone(), registered.zone());
            expect(errors, "node.locality.sub_zone", sent.getSubZone(), registered.subzone());
        }
        Value labels = node.getMetadata().getFieldsOrDefault("LABELS", null);
        if (labels != null && labels.hasStructValue()) {
            // Sorted so the message is stable; a label the pod lacks is as much a contradiction as
            // a different value (it could select the proxy into another subset or policy).
            Map<String, Value> sent = new TreeMap<>(labels.getStructValue().getFieldsMap());
            sent.forEach((key, value) -> {
                String expected = pod.labels().get(key);
                String actual = value.hasStringValue()
                        ? value.getStringValue()
                        : value.toString().strip();
                if (!actual.equals(expected)) {
                    errors.add("node.metadata.LABELS." + key + ": " + actual + " (expected: "
                            + (expected == null ? "no such label" : expected) + ")");
                }
            });
        }
        if (errors.isEmpty()) {
            return null;
        }
        return "node " + id + " contradicts the registry's pod " + pod.namespace() + "/" + pod.name() + ": "
                + String.join("; ", errors);
    }

    /** The registered pod the node id names, else the one its metadata names, else null. */
    private @Nullable PodInstance claimedPod(String istioOrPlainId, String metaNamespace, String metaName) {
        String id = podPart(istioOrPlainId);
        int dot = id.lastIndexOf('.');
        PodInstance byId = dot > 0 ? registry.pod(id.substring(dot + 1), id.substring(0, dot)) : null;
        if (byId != null || metaName.isEmpty()) {
            return byId;
        }
        return registry.pod(metaNamespace.isEmpty() && dot > 0 ? id.substring(dot + 1) : metaNamespace, metaName);
    }

    /**
     * The {@code <pod>.<namespace>} part of a node id: the id itself, or the third field of Istio's
     * {@code <type>~<ip>~<pod>.<namespace>~<domain>} (pilot/pkg/model/context.go {@code ParseServiceNodeWithMetadata}).
     */
    static String podPart(String id) {
        String[] parts = id.split("~", -1);
        return parts.length == 4 ? parts[2] : id;
    }

    /** The IP field of an Istio node id, or "". */
    static String ipPart(String id) {
        String[] parts = id.split("~", -1);
        return parts.length == 4 ? parts[1] : "";
    }

    private static void expect(List<String> errors, String field, String sent, String registered) {
        if (!sent.isEmpty() && !sent.equals(registered)) {
            errors.add(field + ": " + sent + " (expected: " + registered + ")");
        }
    }

    private static String string(Struct meta, String key) {
        Value value = meta.getFieldsOrDefault(key, null);
        return value != null && value.hasStringValue() ? value.getStringValue() : "";
    }
}
