package io.zonemesh.xds;

import io.zonemesh.model.Locality;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who is asking for configuration: one proxy, as the control plane knows it from the Envoy
 * {@code Node} it sent and the registry's {@code Workload} (see {@link ProxyIdentities#fromNode}).
 *
 * @param namespace the workload's namespace
 * @param podName pod (or WorkloadEntry) name
 * @param owner the Deployment (or WorkloadEntry) it belongs to
 * @param labels workload labels as registered, without topology labels (they are derived)
 * @param locality the proxy's own locality; the registry's value wins over the Node's
 * @param proxyType sidecar or gateway
 * @param doesNotSupportOverprovisioning the Node announced the client feature
 *     {@value ProxyIdentities#NO_OVERPROVISIONING_FEATURE} (grpc-java); the output then avoids
 *     what such clients drop or reject (LOCALITY.md §5.4)
 * @param appPorts inbound port (the port callers reach this workload on) to the application's
 *     {@code host:port}, the target of the {@code inbound|<port>||} cluster
 * @param nodeName the Kubernetes node, for the {@code kubernetes.io/hostname} topology label
 * @param cluster the cluster id, for {@code topology.istio.io/cluster}
 * @param network the network id, for {@code topology.istio.io/network}; split-horizon EDS sends
 *     endpoints of other networks through their network gateways
 * @param requestedNetworkView node metadata {@code REQUESTED_NETWORK_VIEW} (Istio's
 *     {@code ISTIO_META_REQUESTED_NETWORK_VIEW}, comma-separated): when not empty the proxy sees
 *     only endpoints of these networks and of no network (pilot/pkg/model/proxy_view.go); an
 *     east-west gateway names its own network so that it never hops to a second gateway
 */
public record ProxyIdentity(
        String namespace,
        String podName,
        String owner,
        Map<String, String> labels,
        Locality locality,
        ProxyType proxyType,
        boolean doesNotSupportOverprovisioning,
        Map<Integer, String> appPorts,
        String nodeName,
        String cluster,
        String network,
        List<String> requestedNetworkView) {

    /** A proxy that sees every network. */
    public ProxyIdentity(
            String namespace,
            String podName,
            String owner,
            Map<String, String> labels,
            Locality locality,
            ProxyType proxyType,
            boolean doesNotSupportOverprovisioning,
            Map<Integer, String> appPorts,
            String nodeName,
            String cluster,
            String network) {
        this(
                namespace,
                podName,
                owner,
                labels,
                locality,
                proxyType,
                doesNotSupportOverprovisioning,
                appPorts,
                nodeName,
                cluster,
                network,
                List.of());
    }

    /** What the proxy is: Istio's {@code sidecar} and {@code router} node types. */
    public enum ProxyType {
        SIDECAR,
        ROUTER
    }

    public ProxyIdentity {
        if (namespace == null || namespace.isEmpty()) {
            throw new IllegalArgumentException("namespace: " + namespace + " (expected: non-empty)");
        }
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(owner, "owner");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(locality, "locality");
        Objects.requireNonNull(proxyType, "proxyType");
        TreeMap<Integer, String> ports = new TreeMap<>();
        appPorts.forEach((port, target) -> {
            if (port == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException("appPorts: " + port + " (expected: 1-65535)");
            }
            HostPort.parse(target);
            ports.put(port, target);
        });
        appPorts = Collections.unmodifiableSortedMap(ports);
        nodeName = Objects.requireNonNullElse(nodeName, "");
        cluster = Objects.requireNonNullElse(cluster, "");
        network = Objects.requireNonNullElse(network, "");
        requestedNetworkView = List.copyOf(requestedNetworkView);
    }

    /** A sidecar with no application ports and no node, cluster or network: handy for outbound-only callers. */
    public static ProxyIdentity sidecar(
            String namespace, String podName, Map<String, String> labels, Locality locality) {
        return new ProxyIdentity(
                namespace, podName, podName, labels, locality, ProxyType.SIDECAR, false, new TreeMap<>(), "", "", "");
    }

    /** A copy with other application ports. */
    public ProxyIdentity withAppPorts(Map<Integer, String> ports) {
        return new ProxyIdentity(
                namespace,
                podName,
                owner,
                labels,
                locality,
                proxyType,
                doesNotSupportOverprovisioning,
                new TreeMap<>(ports),
                nodeName,
                cluster,
                network,
                requestedNetworkView);
    }

    /** A copy that announces (or not) {@code envoy.lb.does_not_support_overprovisioning}. */
    public ProxyIdentity withoutOverprovisioning(boolean value) {
        return new ProxyIdentity(
                namespace,
                podName,
                owner,
                labels,
                locality,
                proxyType,
                value,
                appPorts,
                nodeName,
                cluster,
                network,
                requestedNetworkView);
    }

    /** A copy with another node, cluster and network. */
    public ProxyIdentity withTopology(String newNodeName, String newCluster, String newNetwork) {
        return new ProxyIdentity(
                namespace,
                podName,
                owner,
                labels,
                locality,
                proxyType,
                doesNotSupportOverprovisioning,
                appPorts,
                newNodeName,
                newCluster,
                newNetwork,
                requestedNetworkView);
    }

    /** A copy that sees only these networks (and endpoints of no network); empty: every network. */
    public ProxyIdentity withRequestedNetworkView(List<String> networks) {
        return new ProxyIdentity(
                namespace,
                podName,
                owner,
                labels,
                locality,
                proxyType,
                doesNotSupportOverprovisioning,
                appPorts,
                nodeName,
                cluster,
                network,
                networks);
    }
}
