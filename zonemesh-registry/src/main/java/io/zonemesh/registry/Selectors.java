package io.zonemesh.registry;

import java.util.Map;

/** Kubernetes equality-based label selection. */
final class Selectors {
    private Selectors() {}

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
