package io.zonemesh.kube.inject;

import io.zonemesh.common.Nullable;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which pods get a sidecar, in Istio's two steps. First the API server's choice, made by the
 * MutatingWebhookConfiguration's selectors before the webhook is called
 * ({@link #webhookSelects}, Istio's {@code mutatingwebhook.yaml} for the default revision); then
 * istiod's own check on the pod ({@link #injectRequired}, {@code pkg/kube/inject/inject.go}
 * {@code injectRequired} with the default policy {@code enabled}).
 */
public final class InjectionPolicy {
    static final String NAMESPACE_LABEL = "istio-injection";
    static final String REVISION_LABEL = "istio.io/rev";
    static final String INJECT = "sidecar.istio.io/inject";
    /**
     * Istio's {@code IgnoredNamespaces} ({@code pkg/kube/inject/initializer.go}): never injected,
     * whatever their pods say.
     */
    public static final Set<String> IGNORED_NAMESPACES =
            Set.of("kube-system", "kube-public", "kube-node-lease", "local-path-storage");

    private static final Logger log = LoggerFactory.getLogger(InjectionPolicy.class);

    private InjectionPolicy() {}

    /**
     * Whether one of the webhook's four selector pairs matches (for {@code revision}): a namespace
     * labelled {@code istio-injection=enabled}; a namespace whose {@code istio.io/rev} is the
     * revision and that has no {@code istio-injection} label; a pod labelled with the revision in
     * a namespace with neither label; or a pod labelled {@code sidecar.istio.io/inject=true} in a
     * namespace with neither label. The first three exclude pods labelled
     * {@code sidecar.istio.io/inject=false}. Selectors see labels only, never annotations.
     */
    public static boolean webhookSelects(
            Map<String, String> namespaceLabels, Map<String, String> podLabels, String revision) {
        @Nullable String nsInjection = namespaceLabels.get(NAMESPACE_LABEL);
        @Nullable String nsRevision = namespaceLabels.get(REVISION_LABEL);
        boolean podOptsOut = "false".equals(podLabels.get(INJECT));
        if ("enabled".equals(nsInjection)) {
            return !podOptsOut;
        }
        if (nsInjection == null && revision.equals(nsRevision)) {
            return !podOptsOut;
        }
        if (nsInjection == null && nsRevision == null) {
            if (revision.equals(podLabels.get(REVISION_LABEL))) {
                return !podOptsOut;
            }
            return "true".equals(podLabels.get(INJECT)) && !podLabels.containsKey(REVISION_LABEL);
        }
        return false;
    }

    /**
     * istiod's decision for a pod the webhook was called for ({@code inject.go}
     * {@code injectRequired}, policy {@code enabled}, no never/always-inject selectors): never with
     * {@code hostNetwork} or in an ignored namespace; otherwise the label
     * {@code sidecar.istio.io/inject} (preferred) or else the annotation of that name decides:
     * exactly {@code true} injects, exactly {@code false} does not, and anything else (absent,
     * empty, {@code yes}, {@code False}) falls back to the policy's default, inject, as istiod
     * does after logging "Only 'true' and 'false' are accepted".
     *
     * @param namespace the pod's namespace, or null when unknown (kube-inject of a bare template)
     */
    public static boolean injectRequired(
            @Nullable String namespace,
            boolean hostNetwork,
            Map<String, String> podLabels,
            Map<String, String> podAnnotations) {
        if (hostNetwork) {
            return false;
        }
        if (namespace != null && IGNORED_NAMESPACES.contains(namespace)) {
            return false;
        }
        @Nullable String selector = podAnnotations.get(INJECT);
        if (podLabels.containsKey(INJECT)) {
            selector = podLabels.get(INJECT);
        }
        if (selector != null && !selector.isEmpty() && !selector.equals("true") && !selector.equals("false")) {
            log.warn("{}: {} (expected: true or false); falling back to the default policy (inject)", INJECT, selector);
        }
        return !"false".equals(selector);
    }
}
