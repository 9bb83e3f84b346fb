package io.zonemesh.config.placement;

import io.zonemesh.config.k8s.PodTemplate;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.Map;
import java.util.Objects;

/**
 * A pod as the registry sees it: either a bare Pod or one replica of a Deployment, placed on a
 * Node, with its locality and whether Istio's injection rules give it a sidecar.
 *
 * @param owner the Deployment name, or the pod name for a bare Pod
 * @param source the Deployment or Pod resource it was made from (for messages)
 * @param podIp the Pod's status IP when the file says it, else null
 * @param clusterId {@code topology.istio.io/cluster} of the pod, else of its Node, or "" (the mesh's cluster)
 * @param network {@code topology.istio.io/network} of the pod or its Node, or "" (the mesh's)
 */
public record PodInstance(
        String name,
        String namespace,
        String owner,
        ResourceMeta source,
        Map<String, String> labels,
        Map<String, String> annotations,
        PodTemplate spec,
        String nodeName,
        Locality locality,
        boolean sidecar,
        boolean ready,
        @io.zonemesh.common.Nullable String podIp,
        String clusterId,
        String network) {

    public PodInstance {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(source, "source");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        Objects.requireNonNull(spec, "spec");
        nodeName = Objects.requireNonNullElse(nodeName, "");
        Objects.requireNonNull(locality, "locality");
        clusterId = Objects.requireNonNullElse(clusterId, "");
        network = Objects.requireNonNullElse(network, "");
    }

    /** The first container's literal environment (echo apps read SERVICE_VERSION from it). */
    public Map<String, String> env() {
        return spec.containers().isEmpty() ? Map.of() : spec.containers().get(0).env();
    }

    /** The container port with this name, or -1. */
    public int containerPort(String portName) {
        for (PodTemplate.Container c : spec.containers()) {
            for (PodTemplate.ContainerPort p : c.ports()) {
                if (portName.equals(p.name())) {
                    return p.containerPort();
                }
            }
        }
        return -1;
    }
}
