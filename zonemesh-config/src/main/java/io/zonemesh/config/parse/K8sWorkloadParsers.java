package io.zonemesh.config.parse;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.config.k8s.K8sDeployment;
import io.zonemesh.config.k8s.K8sNamespace;
import io.zonemesh.config.k8s.K8sNode;
import io.zonemesh.config.k8s.K8sPod;
import io.zonemesh.config.k8s.PodTemplate;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.LinkedHashMap;
import java.util.Map;

/** Namespaces, Nodes, apps/v1 workloads (Deployments, StatefulSets, ReplicaSets, DaemonSets) and bare Pods. */
final class K8sWorkloadParsers {
    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final String HOSTNAME = "kubernetes.io/hostname";

    private K8sWorkloadParsers() {}

    static K8sNamespace namespace(Namespace ns, ParseContext ctx) {
        return new K8sNamespace(ctx.meta());
    }

    /**
     * A Node; it always carries {@code kubernetes.io/hostname}, which the kubelet sets to the node
     * name unless told otherwise, so a {@code nodeSelector} on it schedules as on Kubernetes.
     */
    static K8sNode node(Node node, ParseContext ctx) {
        ResourceMeta m = ctx.meta();
        if (m.labels().containsKey(HOSTNAME)) {
            return new K8sNode(m);
        }
        Map<String, String> labels = new LinkedHashMap<>(m.labels());
        labels.put(HOSTNAME, m.name());
        return new K8sNode(
                new ResourceMeta(m.kind(), m.namespace(), m.name(), labels, m.annotations(), m.source(), m.document()));
    }

    /** A Deployment; {@code replicas} defaults to 1 as in the API server. */
    static K8sDeployment deployment(Deployment d, ParseContext ctx) {
        DeploymentSpec spec = d.getSpec() == null ? new DeploymentSpec() : d.getSpec();
        return workload(spec.getReplicas(), spec.getSelector(), spec.getTemplate(), ctx);
    }

    /** A StatefulSet: its pods get the stable names {@code <name>-0 .. <name>-(n-1)} ({@code PodPlanner}). */
    static K8sDeployment statefulSet(StatefulSet s, ParseContext ctx) {
        StatefulSetSpec spec = s.getSpec() == null ? new StatefulSetSpec() : s.getSpec();
        return workload(spec.getReplicas(), spec.getSelector(), spec.getTemplate(), ctx);
    }

    /** A ReplicaSet: pods like a Deployment's. */
    static K8sDeployment replicaSet(ReplicaSet r, ParseContext ctx) {
        ReplicaSetSpec spec = r.getSpec() == null ? new ReplicaSetSpec() : r.getSpec();
        return workload(spec.getReplicas(), spec.getSelector(), spec.getTemplate(), ctx);
    }

    /** A DaemonSet: one pod per Node its template accepts ({@code PodPlanner}); replicas is unused. */
    static K8sDeployment daemonSet(DaemonSet d, ParseContext ctx) {
        DaemonSetSpec spec = d.getSpec() == null ? new DaemonSetSpec() : d.getSpec();
        return workload(null, spec.getSelector(), spec.getTemplate(), ctx);
    }

    /** The apps/v1 workload shape: replicas (default 1), a matchLabels selector owning the template. */
    private static K8sDeployment workload(
            @Nullable Integer replicaCount,
            @Nullable LabelSelector selector,
            @Nullable PodTemplateSpec template,
            ParseContext ctx) {
        int replicas = 1;
        if (replicaCount != null) {
            Integer r = ctx.atLeast(SPEC.field("replicas"), replicaCount, 0);
            replicas = r == null ? 1 : r;
        }
        Map<String, String> matchLabels = Values.strings(selector == null ? null : selector.getMatchLabels());
        if (selector == null
                || (matchLabels.isEmpty()
                        && Values.list(selector.getMatchExpressions()).isEmpty())) {
            ctx.missing(SPEC.field("selector"), "a label selector matching the template's labels");
        } else if (!Values.list(selector.getMatchExpressions()).isEmpty()) {
            ctx.unsupported(
                    SPEC.field("selector").field("matchExpressions"),
                    "set-based selectors; only matchLabels " + "select the workload's pods");
        }
        FieldPath templatePath = SPEC.field("template");
        if (template == null) {
            ctx.missing(templatePath, "a pod template");
            template = new PodTemplateSpec();
        }
        PodTemplate pod =
                PodTemplateParser.parse(template.getMetadata(), template.getSpec(), templatePath.field("spec"), ctx);
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(pod.labels().get(e.getKey()))) {
                // The API server's rule: a workload must own the pods it creates.
                ctx.invalid(
                        SPEC.field("selector").field("matchLabels").field(e.getKey()),
                        '"' + e.getValue()
                                + "\" (expected: the same label in spec.template.metadata.labels; selector does not match "
                                + "template labels)");
            }
        }
        return new K8sDeployment(ctx.meta(), replicas, matchLabels, pod);
    }

    /**
     * A bare Pod: its metadata labels and annotations are the template's; it is ready unless its
     * status has a {@code Ready} condition that is {@code False}.
     */
    static K8sPod pod(Pod p, ParseContext ctx) {
        PodTemplate spec = PodTemplateParser.parse(p.getMetadata(), p.getSpec(), SPEC, ctx);
        boolean ready = true;
        String podIp = null;
        if (p.getStatus() != null) {
            podIp = p.getStatus().getPodIP();
            if (podIp != null && !Names.isIp(podIp)) {
                ctx.invalid(FieldPath.of("status", "podIP"), '"' + podIp + "\" (expected: an IP address)");
                podIp = null;
            }
            for (PodCondition c : Values.list(p.getStatus().getConditions())) {
                if (c != null && "Ready".equals(c.getType()) && "False".equals(c.getStatus())) {
                    ready = false;
                }
            }
        }
        return new K8sPod(ctx.meta(), spec, podIp, ready);
    }
}
