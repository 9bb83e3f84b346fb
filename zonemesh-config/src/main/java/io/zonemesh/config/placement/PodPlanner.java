package io.zonemesh.config.placement;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sDeployment;
import io.zonemesh.config.k8s.K8sNamespace;
import io.zonemesh.config.k8s.K8sNode;
import io.zonemesh.config.k8s.K8sPod;
import io.zonemesh.config.k8s.PodTemplate;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.ResourceMeta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Turns Deployments, StatefulSets and ReplicaSets into emulated pods (one per replica),
 * DaemonSets into one pod per accepting Node, and places every pod on a Node, the
 * way a scheduler honouring {@code nodeName} and {@code nodeSelector} would. Deterministic:
 * the same input always gives the same pod names and placement, which golden tests rely on.
 */
public final class PodPlanner {
    // Kubernetes' safe alphabet for generated names (no vowels, no look-alike characters).
    private static final char[] ALPHABET = "bcdfghjklmnpqrstvwxz2456789".toCharArray();

    private PodPlanner() {}

    /** The pods that run: every pod that a Node accepts (or every pod, when no Node is declared). */
    public static List<PodInstance> plan(MeshConfigBundle bundle) {
        return schedule(bundle).stream()
                .filter(s -> !s.pending())
                .map(Scheduled::pod)
                .toList();
    }

    /**
     * Pods that stay Pending as on Kubernetes: Nodes are declared but the pod's {@code nodeName}
     * or {@code nodeSelector} matches none of them. They get no endpoint and no sidecar.
     */
    public static List<PodInstance> pending(MeshConfigBundle bundle) {
        return schedule(bundle).stream()
                .filter(Scheduled::pending)
                .map(Scheduled::pod)
                .toList();
    }

    /** A planned pod and whether no Node takes it. */
    private record Scheduled(PodInstance pod, boolean pending) {}

    private static List<Scheduled> schedule(MeshConfigBundle bundle) {
        Map<String, Map<String, String>> nsLabels = new HashMap<>();
        for (K8sNamespace ns : bundle.namespaces()) {
            nsLabels.put(ns.meta().name(), ns.meta().labels());
        }
        List<K8sNode> nodes = new ArrayList<>(bundle.nodes());
        nodes.sort(Comparator.comparing(n -> n.meta().name()));

        List<Scheduled> pods = new ArrayList<>();
        for (K8sDeployment d : bundle.deployments()) {
            String ns = d.meta().namespace();
            List<K8sNode> candidates = candidates(nodes, d.template());
            String templateHash = name(ns + "/" + d.meta().name(), 10);
            String kind = d.meta().kind();
            // A DaemonSet runs one pod on every Node it accepts (one on the implicit node when none is declared).
            boolean daemon = kind.equals("DaemonSet");
            int count = daemon ? (nodes.isEmpty() ? 1 : candidates.size()) : d.replicas();
            for (int i = 0; i < count; i++) {
                String podName = podName(kind, d.meta().name(), templateHash, i);
                K8sNode node = candidates.isEmpty() ? null : candidates.get(i % candidates.size());
                pods.add(new Scheduled(
                        instance(
                                podName,
                                ns,
                                d.meta().name(),
                                d.meta(),
                                d.template(),
                                node,
                                nsLabels.getOrDefault(ns, Map.of()),
                                true,
                                null),
                        unschedulable(nodes, d.template(), node)));
            }
        }
        for (K8sPod p : bundle.pods()) {
            String ns = p.meta().namespace();
            PodTemplate spec = withMetadata(p);
            List<K8sNode> candidates = candidates(nodes, spec);
            K8sNode node = candidates.isEmpty() ? null : candidates.get(0);
            pods.add(new Scheduled(
                    instance(
                            p.meta().name(),
                            ns,
                            p.meta().name(),
                            p.meta(),
                            spec,
                            node,
                            nsLabels.getOrDefault(ns, Map.of()),
                            p.ready(),
                            p.podIp()),
                    unschedulable(nodes, spec, node)));
        }
        return pods;
    }

    /**
     * Kubernetes' pod names: a StatefulSet's are stable ordinals {@code <name>-<i>}, a ReplicaSet's
     * and DaemonSet's {@code <name>-<5 chars>}, a Deployment's {@code <name>-<template hash>-<5 chars>}.
     */
    private static String podName(String kind, String name, String templateHash, int i) {
        switch (kind) {
            case "StatefulSet":
                return name + "-" + i;
            case "ReplicaSet":
            case "DaemonSet":
                return name + "-" + name(templateHash + "#" + i, 5);
            default:
                return name + "-" + templateHash + "-" + name(templateHash + "#" + i, 5);
        }
    }

    private static PodTemplate withMetadata(K8sPod p) {
        PodTemplate s = p.spec();
        // A bare Pod's labels live in metadata; the converted spec may or may not carry them.
        Map<String, String> labels = new HashMap<>(s.labels());
        labels.putAll(p.meta().labels());
        Map<String, String> annotations = new HashMap<>(s.annotations());
        annotations.putAll(p.meta().annotations());
        return new PodTemplate(
                labels, annotations, s.nodeSelector(), s.nodeName(), s.serviceAccountName(), s.containers());
    }

    /**
     * A pod with nowhere to go: Nodes are declared and its nodeName or nodeSelector picks none.
     * Without any Node the planner places pods on an implicit node (no locality), as before;
     * a pod without constraints that only control-plane nodes could take is tolerated there.
     */
    private static boolean unschedulable(List<K8sNode> nodes, PodTemplate t, @Nullable K8sNode node) {
        boolean constrained = (t.nodeName() != null && !t.nodeName().isEmpty())
                || !t.nodeSelector().isEmpty();
        return node == null && !nodes.isEmpty() && constrained;
    }

    private static PodInstance instance(
            String podName,
            String ns,
            String owner,
            ResourceMeta source,
            PodTemplate t,
            @Nullable K8sNode node,
            Map<String, String> namespaceLabels,
            boolean ready,
            @Nullable String podIp) {
        Locality locality = TopologyLabels.ofPodLabels(t.labels());
        if (locality == null) {
            locality = node == null
                    ? Locality.EMPTY
                    : TopologyLabels.ofNode(node.meta().labels());
        }
        boolean sidecar = SidecarInjection.injected(namespaceLabels, t.labels(), t.annotations());
        // A pod with a status.podIP was admitted by a real API server, so the injection webhook has
        // already run and its labels are final: as istiod, auto mTLS keys on its own
        // security.istio.io/tlsMode label only. A pod zonemesh up plans is labelled as the injector would.
        Map<String, String> labels =
                sidecar && podIp == null ? SidecarInjection.injectedLabels(t.labels()) : t.labels();
        Map<String, String> nodeLabels = node == null ? Map.of() : node.meta().labels();
        String network =
                t.labels().getOrDefault(TopologyLabels.NETWORK, nodeLabels.getOrDefault(TopologyLabels.NETWORK, ""));
        return new PodInstance(
                podName,
                ns,
                owner,
                source,
                labels,
                t.annotations(),
                t,
                node == null ? "" : node.meta().name(),
                locality,
                sidecar,
                ready,
                podIp,
                // A pod label wins: the Kubernetes source of a multi-cluster control plane labels
                // each cluster's pods with the cluster they were read from (istiod's registry ID).
                t.labels().getOrDefault(TopologyLabels.CLUSTER, nodeLabels.getOrDefault(TopologyLabels.CLUSTER, "")),
                network);
    }

    /**
     * Nodes the pod may run on: the named node, else nodes matching every nodeSelector entry.
     * Without a selector, control-plane nodes are avoided as their default taint would.
     */
    static List<K8sNode> candidates(List<K8sNode> nodes, PodTemplate t) {
        List<K8sNode> out = new ArrayList<>();
        for (K8sNode n : nodes) {
            Map<String, String> labels = n.meta().labels();
            if (t.nodeName() != null && !t.nodeName().isEmpty()) {
                if (n.meta().name().equals(t.nodeName())) {
                    out.add(n);
                }
                continue;
            }
            boolean matches = true;
            for (Map.Entry<String, String> e : t.nodeSelector().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    matches = false;
                    break;
                }
            }
            if (matches && (!t.nodeSelector().isEmpty() || !isControlPlane(n))) {
                out.add(n);
            }
        }
        return out;
    }

    private static boolean isControlPlane(K8sNode n) {
        return n.meta().labels().containsKey(TopologyLabels.CONTROL_PLANE_ROLE)
                || n.meta().name().endsWith("control-plane");
    }

    /** A stable pseudo-random name part of {@code length} characters derived from {@code seed}. */
    static String name(String seed, int length) {
        CRC32 crc = new CRC32();
        crc.update(seed.getBytes(StandardCharsets.UTF_8));
        long value = crc.getValue() * 0x9E3779B97F4A7C15L;
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET[(int) Long.remainderUnsigned(value, ALPHABET.length)]);
            value = Long.divideUnsigned(value, ALPHABET.length) ^ (value << 7);
        }
        return sb.toString();
    }
}
