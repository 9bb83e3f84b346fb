package io.zonemesh.registry;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.k8s.K8sNode;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.config.placement.TopologyLabels;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes Service's endpoints from its EndpointSlices, joined to their Pods, as istiod's
 * {@code pilot/pkg/serviceregistry/kube/controller/endpointslice.go} builds them: each address of
 * each slice endpoint, for each Service port whose name the slice's port carries; the pod named
 * by {@code targetRef} gives labels (subsets), locality (its Node's, or its
 * {@code topology.istio.io/locality} label), network and sidecar. An endpoint whose pod is not
 * known (yet) is left out: istiod skips it too and adds it when the pod arrives. An endpoint
 * without a pod {@code targetRef} (a selector-less Service's hand-written slice) has no labels
 * and takes the locality of its {@code nodeName}, if any.
 */
final class SliceEndpoints {
    private final MeshSettings settings;
    private final Map<String, PodInstance> pods = new HashMap<>();
    private final Map<String, K8sNode> nodes = new HashMap<>();

    SliceEndpoints(MeshSettings settings, List<PodInstance> pods, List<K8sNode> nodes) {
        this.settings = settings;
        for (PodInstance p : pods) {
            this.pods.putIfAbsent(p.namespace() + "/" + p.name(), p);
        }
        for (K8sNode n : nodes) {
            this.nodes.putIfAbsent(n.meta().name(), n);
        }
    }

    List<Endpoint> endpoints(K8sService ks, String hostname, List<EndpointSlices.Slice> slices) {
        String ns = ks.meta().namespace();
        List<Endpoint> out = new ArrayList<>();
        for (EndpointSlices.Slice slice : slices) {
            for (EndpointSlices.Entry entry : slice.endpoints()) {
                PodInstance pod = entry.podName() == null ? null : pods.get(ns + "/" + entry.podName());
                if (entry.podName() != null && pod == null) {
                    continue;
                }
                for (K8sService.Port sp : ks.ports()) {
                    Integer target = targetPort(slice, sp);
                    if (target == null) {
                        continue;
                    }
                    for (String address : entry.addresses()) {
                        out.add(endpoint(hostname, ns, sp.port(), address, target, entry, pod));
                    }
                }
            }
        }
        return out;
    }

    /** The slice port that serves this Service port: matched by name, as kube-proxy and istiod do. */
    private static @Nullable Integer targetPort(EndpointSlices.Slice slice, K8sService.Port sp) {
        String name = sp.name() == null ? "" : sp.name();
        for (EndpointSlices.Port p : slice.ports()) {
            if (p.name().equals(name) && p.port() > 0) {
                return p.port();
            }
        }
        return null;
    }

    private Endpoint endpoint(
            String hostname,
            String ns,
            int servicePort,
            String address,
            int port,
            EndpointSlices.Entry entry,
            @Nullable PodInstance pod) {
        if (pod != null) {
            return new Endpoint(
                    hostname,
                    servicePort,
                    address,
                    port,
                    pod.name(),
                    ns,
                    pod.locality(),
                    pod.labels(),
                    MeshStateBuilder.or(pod.network(), settings.network()),
                    MeshStateBuilder.or(pod.clusterId(), settings.clusterName()),
                    pod.nodeName(),
                    health(entry),
                    pod.sidecar(),
                    1,
                    Identities.ofPod(ns, pod.spec().serviceAccountName()));
        }
        K8sNode node = nodes.get(entry.nodeName());
        Locality locality = node == null
                ? Locality.EMPTY
                : TopologyLabels.ofNode(node.meta().labels());
        return new Endpoint(
                hostname,
                servicePort,
                address,
                port,
                address,
                ns,
                locality,
                Map.of(),
                settings.network(),
                settings.clusterName(),
                entry.nodeName(),
                health(entry),
                false,
                1);
    }

    /**
     * Ready endpoints are HEALTHY; a terminating endpoint that still serves is DRAINING (istiod
     * sends DRAINING only for persistent-session services; zonemesh for all, so that a draining
     * pod's in-flight sessions are not cut by panic routing treating it as a plain failure);
     * everything else is UNHEALTHY.
     */
    static HealthStatus health(EndpointSlices.Entry entry) {
        if (entry.ready()) {
            return HealthStatus.HEALTHY;
        }
        if (entry.terminating() && entry.serving()) {
            return HealthStatus.DRAINING;
        }
        return HealthStatus.UNHEALTHY;
    }
}
