package io.zonemesh.config;

import io.zonemesh.config.k8s.IgnoredResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ZM0212: one INFO naming every kind that was accepted but has no effect, with how many of each
 * and why, so a user applying their cluster's YAML sees what zonemesh left out without a wall of
 * messages and without {@code up} stopping.
 */
final class IgnoredKinds {
    private IgnoredKinds() {}

    static Optional<Diagnostic> finding(List<IgnoredResource> ignored) {
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, String> reasons = new TreeMap<>();
        IgnoredResource first = null;
        for (IgnoredResource r : ignored) {
            if (r.reason() == null) {
                continue;
            }
            String kind = r.apiVersion() + " " + r.meta().kind();
            counts.merge(kind, 1, Integer::sum);
            reasons.putIfAbsent(kind, r.reason());
            if (first == null) {
                first = r;
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        StringBuilder message = new StringBuilder("accepted but not applied: ");
        String sep = "";
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            message.append(sep)
                    .append(e.getKey())
                    .append(" (")
                    .append(e.getValue())
                    .append("): ")
                    .append(reasons.get(e.getKey()));
            sep = "; ";
        }
        return Optional.of(DiagnosticCode.IGNORED_KINDS.diagnostic(
                first.meta().source(), first.meta().document(), first.meta().ref(), "kind", message.toString()));
    }
}
