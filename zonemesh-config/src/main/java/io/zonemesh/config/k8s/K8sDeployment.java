package io.zonemesh.config.k8s;

import io.zonemesh.model.istio.ResourceMeta;
import java.util.Map;

/** A Deployment: {@code replicas} emulated pods are made from {@code template}. */
public record K8sDeployment(ResourceMeta meta, int replicas, Map<String, String> matchLabels, PodTemplate template)
        implements K8sMeta {
    public K8sDeployment {
        matchLabels = Map.copyOf(matchLabels);
    }
}
