package io.zonemesh.config;

import io.zonemesh.config.k8s.K8sDeployment;
import io.zonemesh.config.k8s.K8sNamespace;
import io.zonemesh.config.k8s.K8sNode;
import io.zonemesh.config.k8s.K8sPod;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.model.istio.IstioConfig;
import java.util.List;

/** Everything read from a file or directory, validated and converted. */
public record MeshConfigBundle(
        List<K8sNamespace> namespaces,
        List<K8sNode> nodes,
        List<K8sService> services,
        List<K8sDeployment> deployments,
        List<K8sPod> pods,
        IstioConfig istio) {

    public static final MeshConfigBundle EMPTY =
            new MeshConfigBundle(List.of(), List.of(), List.of(), List.of(), List.of(), IstioConfig.EMPTY);

    public MeshConfigBundle {
        namespaces = List.copyOf(namespaces);
        nodes = List.copyOf(nodes);
        services = List.copyOf(services);
        deployments = List.copyOf(deployments);
        pods = List.copyOf(pods);
    }
}
