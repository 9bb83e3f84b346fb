package io.zonemesh.config.parse;

import io.zonemesh.config.decode.FieldPath;
import java.util.Map;

/** Label maps (selectors, subset labels) checked with Kubernetes' label syntax. */
final class Labels {
    private Labels() {}

    static void validate(Map<String, String> labels, FieldPath path, ParseContext ctx) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String problem = Names.labelKey(e.getKey());
            if (problem == null) {
                problem = Names.labelValue(e.getValue());
            }
            if (problem != null) {
                ctx.invalid(path.field(e.getKey()), problem);
            }
        }
    }
}
