package io.zonemesh.kube.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonemesh.common.Nullable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a pod (or a workload's pod template) into a meshed pod, as Istio's injection template
 * does: an init container {@code zonemesh-init} running {@code zonemesh proxy-init} as root with
 * NET_ADMIN and NET_RAW, a {@code zonemesh-proxy} container running {@code zonemesh proxy} as
 * UID 1337 with the pod's name and namespace from the downward API and Istio's probes on its
 * status port ({@link ReadinessProbes}), the {@code sidecar.istio.io/status} annotation that marks
 * the pod injected, and the label {@code security.istio.io/tlsMode: istio} that auto mutual TLS
 * keys on. Works on the pod's
 * JSON tree so that {@code kube-inject} and the webhook produce the same pod, field for field.
 */
public final class SidecarInjector {
    static final String STATUS_ANNOTATION = "sidecar.istio.io/status";
    static final String INIT_NAME = "zonemesh-init";
    static final String PROXY_NAME = "zonemesh-proxy";
    static final String TOKEN_VOLUME = "istio-token";
    static final String ROOT_CERT_VOLUME = "istiod-ca-cert";
    static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";
    /** Envoy's Prometheus listener in Istio's bootstrap. */
    static final int STATS_PORT = 15090;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final InjectionConfig config;

    public SidecarInjector(InjectionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public InjectionConfig config() {
        return config;
    }

    /**
     * Injects the sidecar into {@code pod} (an object with {@code metadata} and {@code spec}) in
     * place when Istio's {@code injectRequired} says so and it has no sidecar yet.
     *
     * @param namespace the pod's namespace when known (the webhook's request namespace)
     * @return whether the pod was changed
     */
    public boolean inject(ObjectNode pod, @Nullable String namespace) {
        ObjectNode metadata = object(pod, "metadata");
        ObjectNode spec = object(pod, "spec");
        Map<String, String> labels = strings(metadata.get("labels"));
        Map<String, String> annotations = strings(metadata.get("annotations"));
        if (annotations.containsKey(STATUS_ANNOTATION)
                || !InjectionPolicy.injectRequired(
                        namespace, spec.path("hostNetwork").asBoolean(false), labels, annotations)) {
            return false;
        }
        String mode = TrafficAnnotations.mode(annotations);
        boolean capture = !mode.equals("NONE");
        if (capture) {
            array(spec, "initContainers").add(initContainer(annotations));
        }
        ArrayNode containers = array(spec, "containers");
        String probers = AppProbes.enabled(annotations) ? AppProbes.rewrite(containers) : null;
        containers.add(proxyContainer(mode, annotations, probers));
        // As Istio's injection template (`security.istio.io/tlsMode: {{ ... | default "istio" }}`):
        // clients send auto mutual TLS to endpoints with this label. A value the pod sets is kept.
        ObjectNode podLabels = object(metadata, "labels");
        if (!podLabels.has(TLS_MODE_LABEL)) {
            podLabels.put(TLS_MODE_LABEL, "istio");
        }
        addIdentityVolumes(array(spec, "volumes"));
        PrometheusAnnotations.add(object(metadata, "annotations"));
        ObjectNode status = JSON.objectNode();
        status.putArray("initContainers");
        if (capture) {
            ((ArrayNode) status.get("initContainers")).add(INIT_NAME);
        }
        status.putArray("containers").add(PROXY_NAME);
        status.putArray("volumes").add(TOKEN_VOLUME).add(ROOT_CERT_VOLUME);
        status.put("revision", config.revision());
        object(metadata, "annotations").put(STATUS_ANNOTATION, status.toString());
        return true;
    }

    /**
     * Istio's template volumes for the workload identity: the projected service-account token
     * with audience {@code istio-ca} that the CA reviews (12 h, kubelet rotates it), and the
     * {@code istio-ca-root-cert} ConfigMap the control plane writes into every namespace, to verify
     * the CA's TLS port.
     */
    private static void addIdentityVolumes(ArrayNode volumes) {
        ObjectNode token = volumes.addObject().put("name", TOKEN_VOLUME);
        token.putObject("projected")
                .putArray("sources")
                .addObject()
                .putObject("serviceAccountToken")
                .put("audience", "istio-ca")
                .put("expirationSeconds", 43200)
                .put("path", "istio-token");
        volumes.addObject().put("name", ROOT_CERT_VOLUME).putObject("configMap").put("name", "istio-ca-root-cert");
    }

    private ObjectNode initContainer(Map<String, String> annotations) {
        ObjectNode init = JSON.objectNode();
        init.put("name", INIT_NAME);
        init.put("image", config.image());
        command(init, "proxy-init", TrafficAnnotations.proxyInitArgs(annotations, config));
        ObjectNode security = init.putObject("securityContext");
        // Istio's istio-init: root with exactly the two capabilities iptables-restore needs.
        security.put("runAsUser", 0);
        security.put("runAsGroup", 0);
        security.put("runAsNonRoot", false);
        security.put("privileged", false);
        security.put("allowPrivilegeEscalation", false);
        ObjectNode caps = security.putObject("capabilities");
        caps.putArray("add").add("NET_ADMIN").add("NET_RAW");
        caps.putArray("drop").add("ALL");
        return init;
    }

    private ObjectNode proxyContainer(String mode, Map<String, String> annotations, @Nullable String probers) {
        ObjectNode proxy = JSON.objectNode();
        proxy.put("name", PROXY_NAME);
        proxy.put("image", config.image());
        List<String> args = new java.util.ArrayList<>(List.of(
                "--xds",
                config.controlPlane(),
                "--pod",
                "$(POD_NAME)",
                "--namespace",
                "$(POD_NAMESPACE)",
                "--admin",
                "127.0.0.1:" + config.adminPort(),
                "--status",
                "0.0.0.0:" + ReadinessProbes.STATUS_PORT,
                // Istio's CA_ADDR (the control plane's TLS port) and the files the volumes below hold.
                "--ca-address",
                config.caAddress(),
                "--ca-root-cert",
                "/var/run/secrets/istio/root-cert.pem",
                "--token-file",
                "/var/run/secrets/tokens/istio-token"));
        // pilot-agent's port: the rewritten probes and the merged-metrics /stats/prometheus that
        // the prometheus.io annotations name, so it always runs.
        args.addAll(List.of("--app-health", "0.0.0.0:" + AppProbes.STATUS_PORT, "--stats", "0.0.0.0:" + STATS_PORT));
        if (!mode.equals("NONE")) {
            args.addAll(List.of(
                    "--capture",
                    mode,
                    "--outbound",
                    "0.0.0.0:" + config.outboundPort(),
                    "--inbound",
                    "0.0.0.0:" + config.inboundPort()));
        }
        command(proxy, "proxy", args);
        // As Istio's template: Envoy's Prometheus listener is a declared container port.
        proxy.putArray("ports")
                .addObject()
                .put("containerPort", STATS_PORT)
                .put("protocol", "TCP")
                .put("name", "http-envoy-prom");
        ArrayNode env = proxy.putArray("env");
        env.add(fieldRef("POD_NAME", "metadata.name"));
        env.add(fieldRef("POD_NAMESPACE", "metadata.namespace"));
        env.add(fieldRef("INSTANCE_IP", "status.podIP"));
        if (probers != null) {
            env.addObject().put("name", AppProbes.ENV).put("value", probers);
        }
        ArrayNode mounts = proxy.putArray("volumeMounts");
        mounts.addObject().put("name", ROOT_CERT_VOLUME).put("mountPath", "/var/run/secrets/istio");
        mounts.addObject().put("name", TOKEN_VOLUME).put("mountPath", "/var/run/secrets/tokens");
        proxy.set("startupProbe", ReadinessProbes.startup());
        proxy.set("readinessProbe", ReadinessProbes.readiness(annotations));
        ObjectNode security = proxy.putObject("securityContext");
        security.put("runAsUser", config.proxyUid());
        security.put("runAsGroup", config.proxyUid());
        security.put("runAsNonRoot", true);
        security.put("readOnlyRootFilesystem", true);
        ObjectNode caps = security.putObject("capabilities");
        if (mode.equals("TPROXY")) {
            // As Istio's template in TPROXY mode: the listeners need IP_TRANSPARENT (CAP_NET_ADMIN).
            // Kubernetes gives a non-root container no ambient capabilities, so the image grants
            // it to java as a file capability, which no_new_privs would void: hence escalation on.
            security.put("allowPrivilegeEscalation", true);
            caps.putArray("add").add("NET_ADMIN");
        } else {
            security.put("allowPrivilegeEscalation", false);
        }
        caps.putArray("drop").add("ALL");
        return proxy;
    }

    private void command(ObjectNode container, String subcommand, List<String> args) {
        ArrayNode command = container.putArray("command");
        config.command().forEach(command::add);
        ArrayNode argsNode = container.putArray("args");
        argsNode.add(subcommand);
        args.forEach(argsNode::add);
    }

    private static ObjectNode fieldRef(String name, String path) {
        ObjectNode var = JSON.objectNode();
        var.put("name", name);
        var.putObject("valueFrom").putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", path);
        return var;
    }

    static ObjectNode object(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node instanceof ObjectNode existing) {
            return existing;
        }
        if (node != null && !node.isNull()) {
            throw new IllegalArgumentException(field + ": " + node.getNodeType() + " (expected: an object)");
        }
        return parent.putObject(field);
    }

    private static ArrayNode array(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node instanceof ArrayNode existing) {
            return existing;
        }
        if (node != null && !node.isNull()) {
            throw new IllegalArgumentException("spec." + field + ": " + node.getNodeType() + " (expected: a list)");
        }
        return parent.putArray(field);
    }

    static Map<String, String> strings(@Nullable JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
