package io.zonemesh.bench.mesh;

import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sDeployment;
import io.zonemesh.config.k8s.K8sNamespace;
import io.zonemesh.config.k8s.K8sNode;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.k8s.PodTemplate;
import io.zonemesh.config.placement.TopologyLabels;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the benchmark meshes as a user would write them: Namespaces with sidecar injection,
 * one Node per zone, Services and one Deployment per service and zone pinned to its zone by
 * {@code nodeSelector}. Deterministic, so every run and every fork sees the same mesh.
 */
public final class SyntheticMesh {
    /** The region of every Node; zones are {@code az01}, {@code az02}, ... */
    public static final String REGION = "bench-region";
    /** The port of every service (also the container's target port). */
    public static final int PORT = 8080;

    private static final String SOURCE = "synthetic-bench";

    private SyntheticMesh() {}

    /** The mesh of {@code shape}. */
    public static MeshConfigBundle bundle(MeshShape shape) {
        List<K8sNamespace> namespaces = new ArrayList<>();
        for (int n = 0; n < shape.namespaces(); n++) {
            namespaces.add(new K8sNamespace(meta("Namespace", "", namespace(n), Map.of("istio-injection", "enabled"))));
        }
        List<K8sNode> nodes = new ArrayList<>();
        for (int z = 1; z <= shape.zones(); z++) {
            String name = "worker-" + zone(z);
            nodes.add(new K8sNode(meta(
                    "Node",
                    "",
                    name,
                    Map.of(
                            TopologyLabels.HOSTNAME,
                            name,
                            TopologyLabels.REGION,
                            REGION,
                            TopologyLabels.ZONE,
                            zone(z)))));
        }
        List<K8sService> services = new ArrayList<>();
        List<K8sDeployment> deployments = new ArrayList<>();
        for (int s = 0; s < shape.services(); s++) {
            String ns = namespace(s % shape.namespaces());
            String name = service(s);
            services.add(new K8sService(
                    meta("Service", ns, name, Map.of("app", name)),
                    Map.of("app", name),
                    List.of(new K8sService.Port("http", PORT, 0, null, "TCP", null)),
                    null,
                    null));
            for (int z = 1; z <= shape.zones(); z++) {
                deployments.add(deployment(ns, name, zone(z), shape.endpointsPerZone()));
            }
        }
        return new MeshConfigBundle(namespaces, nodes, services, deployments, List.of(), IstioConfig.EMPTY);
    }

    /**
     * The same mesh with one Deployment ({@code <service>-<zone>}) scaled to {@code replicas}: one
     * endpoint more or less, the change the ADS harness times.
     */
    public static MeshConfigBundle scaled(MeshConfigBundle bundle, String deployment, int replicas) {
        List<K8sDeployment> out = new ArrayList<>(bundle.deployments().size());
        boolean found = false;
        for (K8sDeployment d : bundle.deployments()) {
            if (d.meta().name().equals(deployment)) {
                out.add(new K8sDeployment(d.meta(), replicas, d.matchLabels(), d.template()));
                found = true;
            } else {
                out.add(d);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("deployment: " + deployment + " (expected: one of the mesh's)");
        }
        return new MeshConfigBundle(
                bundle.namespaces(), bundle.nodes(), bundle.services(), out, bundle.pods(), bundle.istio());
    }

    /** Name of the {@code index}th namespace. */
    public static String namespace(int index) {
        return "bench-" + index;
    }

    /** Name of the {@code index}th service. */
    public static String service(int index) {
        return String.format(Locale.ROOT, "svc-%04d", index);
    }

    /** Name of the {@code index}th zone, counted from 1. */
    public static String zone(int index) {
        return String.format(Locale.ROOT, "az%02d", index);
    }

    /** Name of the Deployment of {@code service} in {@code zone}. */
    public static String deployment(String service, String zone) {
        return service + "-" + zone;
    }

    private static K8sDeployment deployment(String ns, String service, String zone, int replicas) {
        Map<String, String> labels = Map.of("app", service, "version", "v1");
        PodTemplate template = new PodTemplate(
                labels,
                Map.of(),
                Map.of(TopologyLabels.ZONE, zone),
                null,
                null,
                List.of(new PodTemplate.Container(
                        "app", "bench/echo", Map.of(), List.of(new PodTemplate.ContainerPort("http", PORT, "TCP")))));
        return new K8sDeployment(meta("Deployment", ns, deployment(service, zone), labels), replicas, labels, template);
    }

    private static ResourceMeta meta(String kind, String ns, String name, Map<String, String> labels) {
        return new ResourceMeta(kind, ns, name, labels, Map.of(), SOURCE, 1);
    }
}
