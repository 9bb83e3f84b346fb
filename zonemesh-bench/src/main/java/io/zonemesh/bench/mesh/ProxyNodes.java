package io.zonemesh.bench.mesh;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.config.placement.PodInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Envoy {@code Node}s that simulated sidecars announce, exactly as docs/XDS_SHAPES.md "Node"
 * describes a zonemesh proxy's, for pods the registry planned.
 */
public final class ProxyNodes {
    private ProxyNodes() {}

    /** The Node a sidecar of {@code pod} sends on its first ADS request. */
    public static Node of(PodInstance pod) {
        Struct.Builder labels = Struct.newBuilder();
        new TreeMap<>(pod.labels()).forEach((k, v) -> labels.putFields(k, string(v)));
        return Node.newBuilder()
                .setId(pod.name() + "." + pod.namespace())
                .setCluster(pod.owner() + "." + pod.namespace())
                .setLocality(Locality.newBuilder()
                        .setRegion(pod.locality().region())
                        .setZone(pod.locality().zone())
                        .setSubZone(pod.locality().subzone()))
                .setUserAgentName("zonemesh")
                .setMetadata(Struct.newBuilder()
                        .putFields("NAMESPACE", string(pod.namespace()))
                        .putFields("NAME", string(pod.name()))
                        .putFields(
                                "LABELS",
                                Value.newBuilder().setStructValue(labels).build())
                        .putFields("PROXY_TYPE", string("sidecar")))
                .build();
    }

    /**
     * {@code count} distinct sidecar pods, taken from each zone in turn (zone order as the pods'
     * localities sort) and spread over each zone's pods, so the proxies cover the zones evenly and
     * as many services as they can.
     *
     * @throws IllegalArgumentException when the mesh has fewer sidecar pods than {@code count}
     */
    public static List<PodInstance> spreadOverZones(List<PodInstance> pods, int count) {
        Map<String, List<PodInstance>> byZone = new TreeMap<>();
        for (PodInstance p : pods) {
            if (p.sidecar()) {
                byZone.computeIfAbsent(p.locality().toString(), k -> new ArrayList<>())
                        .add(p);
            }
        }
        int perZone = Math.max(1, (count + byZone.size() - 1) / Math.max(1, byZone.size()));
        byZone.replaceAll((zone, list) -> strided(list, Math.max(1, list.size() / perZone)));
        Map<String, Integer> next = new LinkedHashMap<>();
        byZone.keySet().forEach(z -> next.put(z, 0));
        List<PodInstance> out = new ArrayList<>(count);
        while (out.size() < count) {
            boolean took = false;
            for (Map.Entry<String, List<PodInstance>> e : byZone.entrySet()) {
                int i = next.getOrDefault(e.getKey(), 0);
                if (i < e.getValue().size() && out.size() < count) {
                    out.add(e.getValue().get(i));
                    next.put(e.getKey(), i + 1);
                    took = true;
                }
            }
            if (!took) {
                throw new IllegalArgumentException(
                        "count: " + count + " (expected: at most the mesh's " + out.size() + " sidecar pods)");
            }
        }
        return out;
    }

    /** Every {@code stride}th element first, then the ones after them: spreads a prefix over the list. */
    private static List<PodInstance> strided(List<PodInstance> list, int stride) {
        List<PodInstance> out = new ArrayList<>(list.size());
        for (int offset = 0; offset < stride; offset++) {
            for (int i = offset; i < list.size(); i += stride) {
                out.add(list.get(i));
            }
        }
        return out;
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
