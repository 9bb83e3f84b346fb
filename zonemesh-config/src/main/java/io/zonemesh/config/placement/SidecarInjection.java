package io.zonemesh.config.placement;

import java.util.Map;

/**
 * Whether Istio's injection webhook would give a pod a sidecar, with the default webhook
 * configuration: a namespace labelled {@code istio-injection=enabled} (or with a revision label)
 * injects unless the pod opts out; an unlabelled namespace injects only pods labelled
 * {@code sidecar.istio.io/inject=true}; {@code istio-injection=disabled} never injects.
 */
public final class SidecarInjection {
    static final String NAMESPACE_LABEL = "istio-injection";
    static final String REVISION_LABEL = "istio.io/rev";
    static final String INJECT = "sidecar.istio.io/inject";
    /** The label Istio's injection template adds, which auto mutual TLS keys on. */
    public static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";

    private SidecarInjection() {}

    public static boolean injected(
            Map<String, String> namespaceLabels, Map<String, String> podLabels, Map<String, String> podAnnotations) {
        String nsValue = namespaceLabels.get(NAMESPACE_LABEL);
        if ("disabled".equals(nsValue)) {
            return false;
        }
        // The pod label wins over the legacy annotation, as in Istio's webhook objectSelector.
        String podOptIn = podLabels.get(INJECT);
        if (podOptIn == null) {
            podOptIn = podAnnotations.get(INJECT);
        }
        boolean namespaceEnabled = "enabled".equals(nsValue) || namespaceLabels.containsKey(REVISION_LABEL);
        if (namespaceEnabled) {
            return !"false".equalsIgnoreCase(podOptIn);
        }
        return "true".equalsIgnoreCase(podLabels.get(INJECT));
    }

    /**
     * The labels of an injected pod: Istio's injection template adds {@code
     * security.istio.io/tlsMode: istio}, keeping a value the pod already sets
     * ({@code default "istio"}), so clients send it mutual TLS (endpoint tlsMode).
     */
    public static Map<String, String> injectedLabels(Map<String, String> podLabels) {
        if (podLabels.containsKey(TLS_MODE_LABEL)) {
            return podLabels;
        }
        Map<String, String> out = new java.util.HashMap<>(podLabels);
        out.put(TLS_MODE_LABEL, "istio");
        return out;
    }
}
