package io.zonemesh.model;

import java.util.Map;
import java.util.Objects;

/**
 * A running instance that may carry a proxy: an (emulated) pod or a WorkloadEntry.
 *
 * @param name pod name, e.g. {@code helloworld-az01-7d4c9f6b8-x2k4q}
 * @param owner the Deployment (or WorkloadEntry) it belongs to
 * @param address its IP as registered (pod IP, or the local-mesh address)
 * @param sidecar whether Istio's injection rules give it a sidecar
 * @param env the first container's environment (echo apps answer with SERVICE_VERSION)
 */
public record Workload(
        String name,
        String namespace,
        String owner,
        Map<String, String> labels,
        Map<String, String> annotations,
        Locality locality,
        String nodeName,
        String address,
        boolean sidecar,
        boolean ready,
        Map<String, String> env) {

    public Workload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(owner, "owner");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        Objects.requireNonNull(locality, "locality");
        nodeName = Objects.requireNonNullElse(nodeName, "");
        Objects.requireNonNull(address, "address");
        env = Map.copyOf(env);
    }
}
