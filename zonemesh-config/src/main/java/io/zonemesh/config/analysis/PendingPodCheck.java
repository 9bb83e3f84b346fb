package io.zonemesh.config.analysis;

import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.k8s.PodTemplate;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.config.placement.PodPlanner;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ZM0211: pods no declared Node accepts. Kubernetes leaves them Pending (the scheduler's
 * NodeAffinity filter, or a nodeName without a kubelet), so they serve nothing; zonemesh does
 * the same instead of running them with an empty locality. One finding per Deployment or Pod.
 */
final class PendingPodCheck implements Check {
    @Override
    public void run(MeshIndex mesh, Findings findings) {
        Map<ResourceMeta, List<PodInstance>> bySource = new LinkedHashMap<>();
        for (PodInstance p : PodPlanner.pending(mesh.bundle())) {
            bySource.computeIfAbsent(p.source(), k -> new ArrayList<>()).add(p);
        }
        bySource.forEach((source, pods) -> {
            PodTemplate spec = pods.get(0).spec();
            boolean byName = spec.nodeName() != null && !spec.nodeName().isEmpty();
            String wanted = byName ? "nodeName " + spec.nodeName() : "nodeSelector " + spec.nodeSelector();
            String path = ("Pod".equals(source.kind()) ? "spec." : "spec.template.spec.")
                    + (byName ? "nodeName" : "nodeSelector");
            findings.add(
                    DiagnosticCode.POD_PENDING,
                    source,
                    path,
                    pods.size() + (pods.size() == 1 ? " pod stays" : " pods stay") + " Pending: no Node matches "
                            + wanted + ", so " + source.ref() + " has no endpoint and no sidecar (expected: a Node "
                            + "whose labels match; every Node has kubernetes.io/hostname = its name)");
        });
    }
}
