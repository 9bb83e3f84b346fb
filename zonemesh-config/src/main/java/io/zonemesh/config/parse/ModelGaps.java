package io.zonemesh.config.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Istio fields that fabric8's generated models (7.4.0) cannot hold. They are removed from the
 * copy the decoder reads, so that valid YAML is not reported as unknown, and their parsers read
 * them from the document as written ({@link ParseContext#raw}).
 *
 * <ul>
 *   <li>{@code loadBalancer.consistentHash.ringHash}: the generated
 *       {@code LoadBalancerSettingsConsistentHashLBRingHash} has a self-typed {@code ringHash}
 *       field instead of RingHash's {@code minimumRingSize}.
 *   <li>{@code loadBalancer.zoneAwareLbSetting} (Istio 1.31): newer than the model.
 * </ul>
 */
final class ModelGaps {
    private ModelGaps() {}

    /** A copy of {@code document} without the fields listed above; the argument is left unchanged. */
    static JsonNode withoutUnrepresentable(JsonNode document) {
        JsonNode copy = document.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.get("consistentHash") instanceof ObjectNode hash) {
                hash.remove("ringHash");
            }
            if (object.get("loadBalancer") instanceof ObjectNode lb) {
                lb.remove(ZoneAwareLbParser.FIELD);
            }
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                strip(e.getValue());
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                strip(element);
            }
        }
    }
}
