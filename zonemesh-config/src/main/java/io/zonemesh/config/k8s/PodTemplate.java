package io.zonemesh.config.k8s;

import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Map;

/** The parts of a pod spec (Deployment template or Pod) that zonemesh uses. */
public record PodTemplate(
        Map<String, String> labels,
        Map<String, String> annotations,
        Map<String, String> nodeSelector,
        @Nullable String nodeName,
        @Nullable String serviceAccountName,
        List<Container> containers) {

    public PodTemplate {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        nodeSelector = Map.copyOf(nodeSelector);
        containers = List.copyOf(containers);
    }

    /** A container: its env (literal values only) and named ports. */
    public record Container(String name, @Nullable String image, Map<String, String> env, List<ContainerPort> ports) {
        public Container {
            env = Map.copyOf(env);
            ports = List.copyOf(ports);
        }
    }

    /** {@code containers[].ports[]}. */
    public record ContainerPort(@Nullable String name, int containerPort, String protocol) {}
}
