package io.zonemesh.kube.discovery;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;

/** Kubernetes objects as a real cluster would hold them for examples/multi-az. */
final class ClusterObjects {
    static final String NS = "sample";
    /** Held so the level sticks: the mock server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_LOG = quiet();

    private ClusterObjects() {}

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    static java.util.logging.Logger mockLog() {
        return MOCK_LOG;
    }

    /** The mock server serves custom resources in CRUD mode only for kinds it was told about. */
    static void registerIstioKinds(io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server) {
        for (String kind : io.zonemesh.config.parse.ResourceKinds.kinds()) {
            for (String apiVersion : io.zonemesh.config.parse.ResourceKinds.apiVersionsOf(kind)) {
                Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type =
                        io.zonemesh.config.parse.ResourceKinds.find(apiVersion, kind)
                                .type();
                if (apiVersion.startsWith("networking.istio.io/")
                        || apiVersion.startsWith("security.istio.io/")
                        || apiVersion.startsWith("telemetry.istio.io/")) {
                    server.expectCustomResource(
                            new io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext.Builder()
                                    .withGroup(io.fabric8.kubernetes.api.model.HasMetadata.getGroup(type))
                                    .withVersion(io.fabric8.kubernetes.api.model.HasMetadata.getVersion(type))
                                    .withPlural(io.fabric8.kubernetes.api.model.HasMetadata.getPlural(type))
                                    .withKind(kind)
                                    .withScope("Namespaced")
                                    .build());
                }
            }
        }
    }

    static Namespace namespace() {
        return new NamespaceBuilder()
                .withNewMetadata()
                .withName(NS)
                .endMetadata()
                .build();
    }

    static Node node(String name, String region, String zone) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of(
                        "kubernetes.io/hostname",
                        name,
                        "topology.kubernetes.io/region",
                        region,
                        "topology.kubernetes.io/zone",
                        zone))
                .endMetadata()
                .build();
    }

    static Service service(String name, int port) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withSelector(Map.of("app", name))
                .addNewPort()
                .withName("http")
                .withPort(port)
                .endPort()
                .endSpec()
                .build();
    }

    static Pod pod(String name, String app, String version, String nodeName, String ip) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withLabels(Map.of("app", app, "version", version))
                .endMetadata()
                .withNewSpec()
                .withNodeName(nodeName)
                .addNewContainer()
                .withName(app)
                .withImage("app")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPodIP(ip)
                .endStatus()
                .build();
    }

    static Endpoint endpoint(String pod, String ip, String nodeName, boolean ready, boolean terminating) {
        return new EndpointBuilder()
                .withAddresses(ip)
                .withNodeName(nodeName)
                .withNewConditions()
                .withReady(ready)
                .withServing(ready || terminating)
                .withTerminating(terminating)
                .endConditions()
                .withNewTargetRef()
                .withKind("Pod")
                .withName(pod)
                .withNamespace(NS)
                .endTargetRef()
                .build();
    }

    static EndpointSlice slice(String name, String service, int port, List<Endpoint> endpoints) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withLabels(Map.of(ClusterCache.SERVICE_NAME_LABEL, service))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("http")
                .withPort(port)
                .withProtocol("TCP")
                .endPort()
                .withEndpoints(endpoints)
                .build();
    }
}
