package io.zonemesh.config.analysis;

import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sDeployment;
import io.zonemesh.config.k8s.K8sNamespace;
import io.zonemesh.config.k8s.K8sNode;
import io.zonemesh.config.k8s.K8sPod;
import io.zonemesh.config.k8s.PodTemplate;
import io.zonemesh.model.Locality;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where pods run, and so their locality, as a scheduler honouring {@code nodeName} and
 * {@code nodeSelector} would place them: Deployment replicas round-robin over the matching
 * Nodes sorted by name (the rule zonemesh's registry uses for its emulated pods), a bare Pod on
 * the first. Without a selector, control-plane nodes are avoided as their taint would.
 */
final class Placement {
    private static final String INJECT = "sidecar.istio.io/inject";

    private Placement() {}

    static List<PodView> pods(MeshConfigBundle bundle) {
        Map<String, Map<String, String>> nsLabels = new HashMap<>();
        for (K8sNamespace ns : bundle.namespaces()) {
            nsLabels.put(ns.meta().name(), ns.meta().labels());
        }
        List<K8sNode> nodes = new ArrayList<>(bundle.nodes());
        nodes.sort(Comparator.comparing(n -> n.meta().name()));
        List<PodView> pods = new ArrayList<>();
        for (K8sDeployment d : bundle.deployments()) {
            List<K8sNode> candidates = candidates(nodes, d.template());
            for (int i = 0; i < d.replicas(); i++) {
                K8sNode node = candidates.isEmpty() ? null : candidates.get(i % candidates.size());
                pods.add(pod(d.meta().namespace(), d.meta(), d.template(), node, nsLabels));
            }
        }
        for (K8sPod p : bundle.pods()) {
            List<K8sNode> candidates = candidates(nodes, p.spec());
            pods.add(pod(p.meta().namespace(), p.meta(), p.spec(), candidates.isEmpty() ? null : candidates.get(0),
                    nsLabels));
        }
        return pods;
    }

    private static PodView pod(String ns, io.zonemesh.model.istio.ResourceMeta owner, PodTemplate t, K8sNode node,
            Map<String, Map<String, String>> nsLabels) {
        Locality locality = Topology.podOverride(t.labels());
        if (locality == null) {
            locality = node == null ? Locality.EMPTY : Topology.ofLabels(node.meta().labels());
        }
        return new PodView(ns, owner, t.labels(), locality,
                injected(nsLabels.getOrDefault(ns, Map.of()), t.labels(), t.annotations()));
    }

    /**
     * Istio's default injection webhook: a namespace labelled {@code istio-injection=enabled} (or
     * with a revision) injects unless the pod opts out with {@code sidecar.istio.io/inject};
     * other namespaces inject only pods labelled {@code sidecar.istio.io/inject=true}.
     */
    static boolean injected(Map<String, String> nsLabels, Map<String, String> podLabels,
            Map<String, String> podAnnotations) {
        String ns = nsLabels.get("istio-injection");
        if ("disabled".equals(ns)) {
            return false;
        }
        String optIn = podLabels.getOrDefault(INJECT, podAnnotations.get(INJECT));
        if ("enabled".equals(ns) || nsLabels.containsKey("istio.io/rev")) {
            return !"false".equalsIgnoreCase(optIn);
        }
        return "true".equalsIgnoreCase(podLabels.get(INJECT));
    }

    private static List<K8sNode> candidates(List<K8sNode> nodes, PodTemplate t) {
        List<K8sNode> out = new ArrayList<>();
        for (K8sNode n : nodes) {
            if (t.nodeName() != null && !t.nodeName().isEmpty()) {
                if (n.meta().name().equals(t.nodeName())) {
                    out.add(n);
                }
                continue;
            }
            boolean matches = t.nodeSelector().entrySet().stream()
                    .allMatch(e -> e.getValue().equals(n.meta().labels().get(e.getKey())));
            boolean controlPlane = n.meta().labels().containsKey(Topology.CONTROL_PLANE_ROLE)
                    || n.meta().name().endsWith("control-plane");
            if (matches && (!t.nodeSelector().isEmpty() || !controlPlane)) {
                out.add(n);
            }
        }
        return out;
    }
}
