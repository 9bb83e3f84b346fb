package io.zonemesh.kube.discovery;

import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.NetworkGatewayDiscovery;
import io.zonemesh.config.k8s.K8sNamespace;
import io.zonemesh.config.k8s.K8sNode;
import io.zonemesh.config.k8s.K8sPod;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.k8s.PodTemplate;
import io.zonemesh.config.placement.TopologyLabels;
import io.zonemesh.model.NetworkGateway;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.model.istio.ResourceMeta;
import io.zonemesh.registry.EndpointSlices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges several clusters' states into the one registry input, as istiod's aggregate registry
 * ({@code pilot/pkg/serviceregistry/aggregate/controller.go}) presents several kube registries:
 *
 * <ul>
 *   <li>every pod is labelled {@code topology.istio.io/cluster=<cluster ID>} (the registry it came
 *       from) and, without its own {@code topology.istio.io/network} label, with the network of
 *       its cluster's system namespace ({@code Controller.Network()}, sources 1 and 2);
 *   <li>a Service with the same namespace and name in several clusters is one service (the first
 *       cluster's definition, the local one first) whose endpoints are every cluster's slices;
 *   <li>Istio configuration is read from the local (config) cluster only, as each primary's
 *       istiod reads its own cluster's; remote clusters give services, pods and endpoints;
 *   <li>a Namespace present in several clusters keeps the first cluster's labels;
 *   <li>network gateways are found in every cluster's own Services and carry that cluster's ID
 *       (istiod's per-registry {@code NetworkGateways()}, unioned by the aggregate): an east-west
 *       gateway Service has the same name in every cluster ({@code istio-system/
 *       istio-eastwestgateway}), so the one merged Service would hide all but the first;
 *   <li>a remote Pod or Node whose name an earlier cluster already uses is renamed
 *       {@code <name>.<cluster ID>} (with the slice entries naming it), so each endpoint joins
 *       its own cluster's pod and node. istiod keeps one registry per cluster and needs no such
 *       renaming; zonemesh's registry is keyed by namespace and name.
 * </ul>
 */
final class ClusterMerge {
    private ClusterMerge() {}

    /** One cluster's latest state. */
    record ClusterState(String clusterId, MeshConfigBundle bundle, EndpointSlices slices) {}

    /**
     * The merged bundle and slices, and every cluster's network gateways; {@code states} in
     * precedence order, the local cluster first.
     */
    record Merged(MeshConfigBundle bundle, EndpointSlices slices, List<NetworkGateway> gateways) {}

    static Merged merge(List<ClusterState> states, String localClusterId, String systemNamespace) {
        List<K8sNamespace> namespaces = new ArrayList<>();
        List<K8sNode> nodes = new ArrayList<>();
        List<K8sService> services = new ArrayList<>();
        List<K8sPod> pods = new ArrayList<>();
        Map<String, List<EndpointSlices.Slice>> slices = new LinkedHashMap<>();
        Set<String> namespaceNames = new HashSet<>();
        Set<String> nodeNames = new HashSet<>();
        Set<String> serviceKeys = new HashSet<>();
        Set<String> podKeys = new HashSet<>();
        IstioConfig istio = IstioConfig.EMPTY;
        List<NetworkGateway> gateways = new ArrayList<>();
        for (ClusterState c : states) {
            MeshConfigBundle b = c.bundle();
            // Unusable gateway Services are reported by `analyze` (ZM0213), as in a single cluster.
            gateways.addAll(NetworkGatewayDiscovery.of(b.services(), c.clusterId(), warning -> {}));
            if (c.clusterId().equals(localClusterId)) {
                istio = b.istio();
            }
            String network = network(b, systemNamespace);
            Map<String, String> nodeRenames = new HashMap<>();
            for (K8sNode n : b.nodes()) {
                String name = n.meta().name();
                if (!nodeNames.add(name)) {
                    String renamed = name + "." + c.clusterId();
                    nodeRenames.put(name, renamed);
                    nodeNames.add(renamed);
                    n = new K8sNode(rename(n.meta(), renamed));
                }
                nodes.add(n);
            }
            Map<String, String> podRenames = new HashMap<>();
            for (K8sPod p : b.pods()) {
                String ns = p.meta().namespace();
                String name = p.meta().name();
                if (!podKeys.add(ns + "/" + name)) {
                    String renamed = name + "." + c.clusterId();
                    podRenames.put(ns + "/" + name, renamed);
                    podKeys.add(ns + "/" + renamed);
                    name = renamed;
                }
                pods.add(labelled(p, name, c.clusterId(), network, nodeRenames));
            }
            for (K8sNamespace n : b.namespaces()) {
                if (namespaceNames.add(n.meta().name())) {
                    namespaces.add(n);
                }
            }
            for (K8sService s : b.services()) {
                if (serviceKeys.add(s.meta().namespace() + "/" + s.meta().name())) {
                    services.add(s);
                }
            }
            c.slices().byService().forEach((key, list) -> {
                String ns = key.substring(0, key.indexOf('/'));
                List<EndpointSlices.Slice> into = slices.computeIfAbsent(key, k -> new ArrayList<>());
                for (EndpointSlices.Slice s : list) {
                    into.add(renamed(s, ns, podRenames, nodeRenames));
                }
            });
        }
        MeshConfigBundle bundle = new MeshConfigBundle(namespaces, nodes, services, List.of(), pods, istio);
        return new Merged(bundle, new EndpointSlices(slices), List.copyOf(gateways));
    }

    /** The {@code topology.istio.io/network} label of the cluster's system namespace, or "". */
    static String network(MeshConfigBundle bundle, String systemNamespace) {
        for (K8sNamespace n : bundle.namespaces()) {
            if (n.meta().name().equals(systemNamespace)) {
                return n.meta().labels().getOrDefault(TopologyLabels.NETWORK, "");
            }
        }
        return "";
    }

    private static K8sPod labelled(
            K8sPod p, String name, String clusterId, String network, Map<String, String> nodeRenames) {
        Map<String, String> labels = new HashMap<>(p.meta().labels());
        // The registry's cluster ID is authoritative (istiod's endpoints carry c.Cluster()).
        labels.put(TopologyLabels.CLUSTER, clusterId);
        if (!network.isEmpty()
                && labels.getOrDefault(TopologyLabels.NETWORK, "").isEmpty()) {
            labels.put(TopologyLabels.NETWORK, network);
        }
        ResourceMeta m = p.meta();
        ResourceMeta meta =
                new ResourceMeta(m.kind(), m.namespace(), name, labels, m.annotations(), m.source(), m.document());
        PodTemplate s = p.spec();
        String nodeName = s.nodeName() == null ? null : nodeRenames.getOrDefault(s.nodeName(), s.nodeName());
        PodTemplate spec = new PodTemplate(
                s.labels(), s.annotations(), s.nodeSelector(), nodeName, s.serviceAccountName(), s.containers());
        return new K8sPod(meta, spec, p.podIp(), p.ready());
    }

    private static ResourceMeta rename(ResourceMeta m, String name) {
        return new ResourceMeta(m.kind(), m.namespace(), name, m.labels(), m.annotations(), m.source(), m.document());
    }

    private static EndpointSlices.Slice renamed(
            EndpointSlices.Slice s, String ns, Map<String, String> podRenames, Map<String, String> nodeRenames) {
        if (podRenames.isEmpty() && nodeRenames.isEmpty()) {
            return s;
        }
        List<EndpointSlices.Entry> entries = new ArrayList<>();
        for (EndpointSlices.Entry e : s.endpoints()) {
            String pod = e.podName() == null ? null : podRenames.getOrDefault(ns + "/" + e.podName(), e.podName());
            entries.add(new EndpointSlices.Entry(
                    e.addresses(),
                    pod,
                    nodeRenames.getOrDefault(e.nodeName(), e.nodeName()),
                    e.ready(),
                    e.serving(),
                    e.terminating()));
        }
        return new EndpointSlices.Slice(s.name(), s.ports(), entries);
    }
}
