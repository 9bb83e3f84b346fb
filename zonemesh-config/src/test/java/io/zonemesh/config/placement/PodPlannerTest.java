package io.zonemesh.config.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.analysis.Analyzer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scheduling as Kubernetes does it: kubelet's hostname label, and Pending when no Node fits. */
class PodPlannerTest {
    private static final String NODES = """
            apiVersion: v1
            kind: Node
            metadata:
              name: worker-a
              labels: {topology.kubernetes.io/region: r1, topology.kubernetes.io/zone: za}
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: worker-b
              labels: {topology.kubernetes.io/region: r1, topology.kubernetes.io/zone: zb}
            ---
            """;

    private static LoadResult load(String yaml) {
        LoadResult r = new ConfigLoader().loadString(NODES + yaml, "mesh.yaml");
        assertThat(r.hasErrors()).as("%s", r.diagnostics()).isFalse();
        return r;
    }

    private static String deployment(String name, String nodeSelector) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s-NAME, namespace: default}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: %s-NAME}}
                  template:
                    metadata: {labels: {app: %s-NAME}}
                    spec:
                      nodeSelector: %s-SELECTOR
                      containers: [{name: app, image: img}]
                """.replace("%s-NAME", name).replace("%s-SELECTOR", nodeSelector);
    }

    @Test
    void everyNodeHasTheKubeletHostnameLabelSoNodeSelectorOnItWorks() {
        LoadResult r = load(deployment("web", "{kubernetes.io/hostname: worker-b}"));

        assertThat(r.bundle().nodes())
                .allSatisfy(n -> assertThat(n.meta().labels())
                        .containsEntry("kubernetes.io/hostname", n.meta().name()));
        assertThat(PodPlanner.plan(r.bundle())).hasSize(2).allSatisfy(p -> {
            assertThat(p.nodeName()).isEqualTo("worker-b");
            assertThat(p.locality().toString()).isEqualTo("r1/zb");
        });
    }

    @Test
    void podsNoNodeAcceptsStayPendingWithAFinding() {
        LoadResult r = load(deployment("web", "{topology.kubernetes.io/zone: zc}"));

        assertThat(PodPlanner.plan(r.bundle())).isEmpty();
        assertThat(PodPlanner.pending(r.bundle())).hasSize(2);
        List<Diagnostic> findings = new Analyzer().analyze(r.bundle());
        assertThat(findings).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo(DiagnosticCode.POD_PENDING.code());
            assertThat(d.message()).contains("2 pods stay Pending", "topology.kubernetes.io/zone=zc");
        });
    }

    @Test
    void withoutDeclaredNodesPodsStillRun() {
        LoadResult r = new ConfigLoader().loadString(deployment("web", "{disk: ssd}"), "mesh.yaml");

        assertThat(PodPlanner.plan(r.bundle())).hasSize(2);
        assertThat(PodPlanner.pending(r.bundle())).isEmpty();
    }
}
