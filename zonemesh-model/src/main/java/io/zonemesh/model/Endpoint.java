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
 * @param tlsMode Istio's {@code IstioEndpoint.TLSMode}: the workload label
 *     {@value #TLS_MODE_LABEL} ({@value #TLS_MODE_ISTIO} when the injector gave it a sidecar), else
 *     {@value #TLS_MODE_DISABLED}; only {@value #TLS_MODE_ISTIO} endpoints get auto mutual TLS
 * @param workloadPort the port the workload itself serves (Kubernetes' target port, Istio's
 *     {@code EndpointPort}), which PeerAuthentication {@code portLevelMtls} names; {@link #port}
 *     differs from it where a local mesh puts each sidecar socket on its own port
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
        String serviceAccount,
        String tlsMode,
        int workloadPort) {

    /** Istio's label {@code security.istio.io/tlsMode}, set by the sidecar injector. */
    public static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";
    /** The label value of workloads with an Istio sidecar. */
    public static final String TLS_MODE_ISTIO = "istio";
    /** Istio's {@code DisabledTLSModeLabel}: what an endpoint without the label has. */
    public static final String TLS_MODE_DISABLED = "disabled";

    /**
     * An endpoint whose TLS mode comes from its labels and whose workload port is {@code port}.
     */
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
            int weight,
            String serviceAccount) {
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
                serviceAccount,
                tlsModeOf(labels),
                port);
    }

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

    /** Istio's {@code GetTLSModeFromEndpointLabels}: the label's value, else {@value #TLS_MODE_DISABLED}. */
    public static String tlsModeOf(Map<String, String> labels) {
        String value = labels.get(TLS_MODE_LABEL);
        return value == null ? TLS_MODE_DISABLED : value;
    }

    /** Whether the workload has an Istio sidecar that terminates mutual TLS (tlsMode {@code istio}). */
    public boolean istioMutualTls() {
        return TLS_MODE_ISTIO.equals(tlsMode);
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
        tlsMode = tlsMode == null || tlsMode.isEmpty() ? TLS_MODE_DISABLED : tlsMode;
        if (workloadPort < 0 || workloadPort > 65535) {
            throw new IllegalArgumentException("workloadPort: " + workloadPort + " (expected: 0-65535)");
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
        }
    }
}
