package io.zonemesh.cli.mesh;

import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.k8s.PodTemplate;
import io.zonemesh.config.placement.PodInstance;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The application ports of a pod, for which its sidecar binds an inbound socket each: the target
 * ports of every Service that selects the pod (resolved as Kubernetes does: a number, a named
 * container port, else the Service port) and the pod's declared container ports. On Kubernetes
 * iptables captures every inbound port; locally these are all a caller can be sent to.
 */
final class AppPorts {
    private AppPorts() {}

    static List<Integer> of(MeshConfigBundle config, PodInstance pod) {
        TreeSet<Integer> ports = new TreeSet<>();
        for (K8sService s : config.services()) {
            if (!s.meta().namespace().equals(pod.namespace())
                    || s.selector().isEmpty()
                    || !matches(s.selector(), pod.labels())) {
                continue;
            }
            for (K8sService.Port p : s.ports()) {
                int target = targetPort(p, pod);
                if (target > 0) {
                    ports.add(target);
                }
            }
        }
        for (PodTemplate.Container c : pod.spec().containers()) {
            for (PodTemplate.ContainerPort p : c.ports()) {
                if (p.containerPort() > 0) {
                    ports.add(p.containerPort());
                }
            }
        }
        return List.copyOf(ports);
    }

    /** The registry's rule (MeshStateBuilder.targetPort): a named port the pod lacks has no target. */
    private static int targetPort(K8sService.Port p, PodInstance pod) {
        if (p.targetPortNumber() > 0) {
            return p.targetPortNumber();
        }
        if (p.targetPortName() != null && !p.targetPortName().isEmpty()) {
            return pod.containerPort(p.targetPortName());
        }
        return p.port();
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
