package io.zonemesh.kube.discovery;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.model.istio.MeshAccessLog;
import io.zonemesh.model.istio.TelemetryConfig;
import io.zonemesh.registry.EndpointSlices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the informers have delivered, converted: one parsed resource per object and one reduced
 * slice per EndpointSlice. Each event replaces or removes exactly one entry (nothing is re-listed
 * or re-parsed per change); {@link #bundle()} and {@link #slices()} assemble the registry's input
 * from the entries. Not thread-safe: confined to {@link KubeDiscovery}'s sync thread.
 */
final class ClusterCache {
    /** Label linking a slice to its Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /** By {@code kind/ns/name}, then by apiVersion: one Istio object may be served in several versions. */
    private final Map<String, TreeMap<String, MeshConfigBundle>> resources = new TreeMap<>();

    private final Map<String, SliceOf> slices = new TreeMap<>();

    void put(String apiVersion, String kindNsName, MeshConfigBundle resource) {
        resources.computeIfAbsent(kindNsName, k -> new TreeMap<>()).put(apiVersion, resource);
    }

    void remove(String apiVersion, String kindNsName) {
        TreeMap<String, MeshConfigBundle> versions = resources.get(kindNsName);
        if (versions != null) {
            versions.remove(apiVersion);
            if (versions.isEmpty()) {
                resources.remove(kindNsName);
            }
        }
    }

    void putSlice(EndpointSlice slice) {
        String ns = slice.getMetadata().getNamespace();
        String service = slice.getMetadata().getLabels() == null
                ? null
                : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
        String key = ns + "/" + slice.getMetadata().getName();
        if (service == null) {
            slices.remove(key); // a slice that belongs to no Service feeds no endpoints (as istiod)
            return;
        }
        slices.put(key, new SliceOf(ns + "/" + service, reduce(slice)));
    }

    void removeSlice(String namespace, String name) {
        slices.remove(namespace + "/" + name);
    }

    int resourceCount() {
        return resources.size();
    }

    int sliceCount() {
        return slices.size();
    }

    /**
     * Every resource, one version of each Istio object (the first apiVersion in name order:
     * {@code v1} before {@code v1alpha3} and {@code v1beta1}; they are the same object).
     */
    MeshConfigBundle bundle() {
        List<MeshConfigBundle> parts = new ArrayList<>(resources.size());
        for (TreeMap<String, MeshConfigBundle> versions : resources.values()) {
            parts.add(versions.firstEntry().getValue());
        }
        return merge(parts);
    }

    EndpointSlices slices() {
        Map<String, List<EndpointSlices.Slice>> byService = new LinkedHashMap<>();
        for (SliceOf s : slices.values()) {
            byService.computeIfAbsent(s.service, k -> new ArrayList<>()).add(s.slice);
        }
        return new EndpointSlices(byService);
    }

    private static MeshConfigBundle merge(List<MeshConfigBundle> parts) {
        List<io.zonemesh.config.k8s.K8sNamespace> namespaces = new ArrayList<>();
        List<io.zonemesh.config.k8s.K8sNode> nodes = new ArrayList<>();
        List<io.zonemesh.config.k8s.K8sService> services = new ArrayList<>();
        List<io.zonemesh.config.k8s.K8sPod> pods = new ArrayList<>();
        List<io.zonemesh.model.istio.DestinationRuleConfig> drs = new ArrayList<>();
        List<io.zonemesh.model.istio.VirtualServiceConfig> vss = new ArrayList<>();
        List<io.zonemesh.model.istio.ServiceEntryConfig> ses = new ArrayList<>();
        List<io.zonemesh.model.istio.WorkloadEntryConfig> wes = new ArrayList<>();
        List<io.zonemesh.model.istio.GatewayConfig> gws = new ArrayList<>();
        List<io.zonemesh.model.istio.SidecarConfig> sidecars = new ArrayList<>();
        List<io.zonemesh.model.istio.PeerAuthenticationConfig> peerAuthentications = new ArrayList<>();
        List<TelemetryConfig> telemetries = new ArrayList<>();
        // The istio ConfigMap's access-log fields; only the control plane's own namespace's
        // ConfigMaps are watched, so at most one part carries them.
        MeshAccessLog meshAccessLog = MeshAccessLog.OFF;
        for (MeshConfigBundle p : parts) {
            namespaces.addAll(p.namespaces());
            nodes.addAll(p.nodes());
            services.addAll(p.services());
            pods.addAll(p.pods());
            IstioConfig i = p.istio();
            drs.addAll(i.destinationRules());
            vss.addAll(i.virtualServices());
            ses.addAll(i.serviceEntries());
            wes.addAll(i.workloadEntries());
            gws.addAll(i.gateways());
            sidecars.addAll(i.sidecars());
            peerAuthentications.addAll(i.peerAuthentications());
            telemetries.addAll(i.telemetries());
            if (!i.meshAccessLog().equals(MeshAccessLog.OFF)) {
                meshAccessLog = i.meshAccessLog();
            }
        }
        // Deployments are not read from the API: their Pods are, and planning replicas from the
        // Deployment as well would count every workload twice.
        return new MeshConfigBundle(
                namespaces,
                nodes,
                services,
                List.of(),
                pods,
                new IstioConfig(drs, vss, ses, wes, gws, sidecars, peerAuthentications)
                        .withTelemetry(meshAccessLog, telemetries));
    }

    private static EndpointSlices.Slice reduce(EndpointSlice slice) {
        List<EndpointSlices.Port> ports = new ArrayList<>();
        if (slice.getPorts() != null) {
            for (EndpointPort p : slice.getPorts()) {
                ports.add(new EndpointSlices.Port(
                        p.getName() == null ? "" : p.getName(), p.getPort() == null ? 0 : p.getPort()));
            }
        }
        List<EndpointSlices.Entry> entries = new ArrayList<>();
        if (slice.getEndpoints() != null) {
            for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint e : slice.getEndpoints()) {
                EndpointConditions c = e.getConditions();
                String pod = e.getTargetRef() != null
                                && "Pod".equals(e.getTargetRef().getKind())
                        ? e.getTargetRef().getName()
                        : null;
                entries.add(new EndpointSlices.Entry(
                        e.getAddresses() == null ? List.of() : e.getAddresses(),
                        pod,
                        e.getNodeName() == null ? "" : e.getNodeName(),
                        // Kubernetes: a missing ready or serving condition means true, terminating false.
                        c == null || c.getReady() == null || c.getReady(),
                        c == null || c.getServing() == null || c.getServing(),
                        c != null && Boolean.TRUE.equals(c.getTerminating())));
            }
        }
        return new EndpointSlices.Slice(slice.getMetadata().getName(), ports, entries);
    }

    private record SliceOf(String service, EndpointSlices.Slice slice) {}
}
