package io.zonemesh.registry;

import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sDeployment;
import io.zonemesh.config.k8s.K8sNamespace;
import io.zonemesh.config.k8s.K8sNode;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.k8s.PodTemplate;
import io.zonemesh.config.placement.TopologyLabels;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.List;
import java.util.Map;

/** Hand-built bundles shaped like examples/multi-az. */
final class Bundles {
    private Bundles() {}

    static ResourceMeta meta(String kind, String ns, String name, Map<String, String> labels) {
        return new ResourceMeta(kind, ns, name, labels, Map.of(), "test.yaml", 1);
    }

    static K8sNode node(String name, String region, String zone) {
        return new K8sNode(meta(
                "Node",
                "",
                name,
                region == null
                        ? Map.of("kubernetes.io/hostname", name)
                        : Map.of(
                                "kubernetes.io/hostname",
                                name,
                                TopologyLabels.REGION,
                                region,
                                TopologyLabels.ZONE,
                                zone)));
    }

    static K8sDeployment deployment(
            String ns,
            String name,
            Map<String, String> labels,
            Map<String, String> annotations,
            Map<String, String> nodeSelector,
            int replicas,
            Map<String, String> env) {
        PodTemplate t = new PodTemplate(
                labels,
                annotations,
                nodeSelector,
                null,
                null,
                List.of(new PodTemplate.Container("app", "img", env, List.of())));
        return new K8sDeployment(meta("Deployment", ns, name, labels), replicas, labels, t);
    }

    static K8sService service(String ns, String name, int port) {
        return new K8sService(
                meta("Service", ns, name, Map.of("app", name)),
                Map.of("app", name),
                List.of(new K8sService.Port("http", port, 0, null, "TCP", null)),
                null,
                null);
    }

    static MeshConfigBundle multiAz() {
        return new MeshConfigBundle(
                List.of(new K8sNamespace(meta("Namespace", "", "sample", Map.of("istio-injection", "enabled")))),
                List.of(
                        node("cluster1-control-plane", null, null),
                        node("cluster1-worker", "sg", "az01"),
                        node("cluster1-worker2", "sg", "az02")),
                List.of(service("sample", "sleep", 80), service("sample", "helloworld", 5000)),
                List.of(
                        deployment(
                                "sample",
                                "sleep-az01",
                                Map.of("app", "sleep", "zone", "az01"),
                                Map.of(),
                                Map.of(TopologyLabels.ZONE, "az01"),
                                1,
                                Map.of()),
                        deployment(
                                "sample",
                                "sleep-az02",
                                Map.of("app", "sleep", "zone", "az02"),
                                Map.of(),
                                Map.of(TopologyLabels.ZONE, "az02"),
                                1,
                                Map.of()),
                        deployment(
                                "sample",
                                "helloworld-az01",
                                Map.of("app", "helloworld", "version", "az01"),
                                Map.of("sidecar.istio.io/inject", "false"),
                                Map.of(TopologyLabels.ZONE, "az01"),
                                1,
                                Map.of("SERVICE_VERSION", "az01")),
                        deployment(
                                "sample",
                                "helloworld-az02",
                                Map.of("app", "helloworld", "version", "az02"),
                                Map.of("sidecar.istio.io/inject", "false"),
                                Map.of(TopologyLabels.ZONE, "az02"),
                                2,
                                Map.of("SERVICE_VERSION", "az02"))),
                List.of(),
                IstioConfig.EMPTY);
    }
}
