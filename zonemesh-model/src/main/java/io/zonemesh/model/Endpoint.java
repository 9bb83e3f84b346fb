package io.zonemesh.model;

import java.util.Map;
import java.util.Objects;

/**
 * One instance of a service on one service port.
 *
 * @param serviceHostname the service it belongs to
 * @param servicePort the service port number this endpoint serves
 * @param address IP (or DNS name for DNS-resolved ServiceEntries) to connect to
 * @param port the port to connect to
 * @param workloadName pod or WorkloadEntry name, for display
 * @param labels workload labels (not yet augmented with topology labels)
 * @param sidecar whether the workload has a zonemesh sidecar
 * @param weight load-balancing weight, 1 unless a WorkloadEntry sets it
 * @param serviceAccount the workload's identity as Istio's {@code IstioEndpoint.ServiceAccount}:
 *     {@code spiffe://<trust domain>/ns/<namespace>/sa/<service account>}, or "" when it has none
 */
public record Endpoint(
        String serviceHostname,
        int servicePort,
        String address,
        int port,
        String workloadName,
        String namespace,
        Locality locality,
        Map<String, String> labels,
        String network,
        String cluster,
        String nodeName,
        HealthStatus health,
        boolean sidecar,
        int weight,
        String serviceAccount) {

    /** An endpoint without an identity (DNS hosts, inline ServiceEntry endpoints). */
    public Endpoint(
            String serviceHostname,
            int servicePort,
            String address,
            int port,
            String workloadName,
            String namespace,
            Locality locality,
            Map<String, String> labels,
            String network,
            String cluster,
            String nodeName,
            HealthStatus health,
            boolean sidecar,
            int weight) {
        this(
                serviceHostname,
                servicePort,
                address,
                port,
                workloadName,
                namespace,
                locality,
                labels,
                network,
                cluster,
                nodeName,
                health,
                sidecar,
                weight,
                "");
    }

    public Endpoint {
        Objects.requireNonNull(serviceHostname, "serviceHostname");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(workloadName, "workloadName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(locality, "locality");
        labels = Map.copyOf(labels);
        network = Objects.requireNonNullElse(network, "");
        cluster = Objects.requireNonNullElse(cluster, "");
        nodeName = Objects.requireNonNullElse(nodeName, "");
        Objects.requireNonNull(health, "health");
        serviceAccount = Objects.requireNonNullElse(serviceAccount, "");
        if (weight < 1) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
        }
    }
}
