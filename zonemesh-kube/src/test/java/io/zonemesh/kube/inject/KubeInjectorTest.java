package io.zonemesh.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KubeInjectorTest {
    private final KubeInjector injector = new KubeInjector(new SidecarInjector(InjectionConfig.defaults()));

    @Test
    void injectsEveryWorkloadKindAndKeepsOtherDocumentsAndOrder() throws Exception {
        GoldenFiles.assertMatches("workloads.injected.yaml", injector.inject(GoldenFiles.read("workloads.yaml")));
    }

    @Test
    void injectingTwiceChangesNothing() throws Exception {
        String once = injector.inject(GoldenFiles.read("workloads.yaml"));
        assertThat(injector.inject(once)).isEqualTo(once);
    }

    @Test
    void controlPlaneAddressComesFromTheConfig() {
        KubeInjector custom = new KubeInjector(
                new SidecarInjector(InjectionConfig.defaults().withControlPlane("istiod.mesh.svc:15010")));
        String out = custom.inject("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a}]}\n");
        assertThat(out)
                .containsPattern("- --xds\\n *- istiod.mesh.svc:15010\\n")
                .doesNotContain(InjectionConfig.DEFAULT_CONTROL_PLANE);
    }

    @Test
    void theProxysOwnPortsAreExcludedAndProbedAsIstiosTemplateDoes() {
        String out = injector.inject("kind: Pod\nmetadata:\n  annotations:\n"
                + "    traffic.sidecar.istio.io/excludeInboundPorts: \"9090\"\n"
                + "    readiness.status.sidecar.istio.io/periodSeconds: \"5\"\nspec: {containers: [{name: a}]}\n");
        assertThat(out)
                .containsPattern("- --exclude-inbound-ports\n *- \"?15090,15021,9090,15020\"?\n")
                .containsPattern("- --status\n *- 0.0.0.0:15021\n")
                .containsPattern("startupProbe:\n *httpGet:\n *path: /healthz/ready\n *port: 15021\n"
                        + " *initialDelaySeconds: 0\n *periodSeconds: 1\n *timeoutSeconds: 3\n *failureThreshold: 600\n")
                .containsPattern("readinessProbe:\n *httpGet:\n *path: /healthz/ready\n *port: 15021\n"
                        + " *initialDelaySeconds: 0\n *periodSeconds: 5\n *timeoutSeconds: 3\n *failureThreshold: 4\n");
        // Without the annotation: Istio's 15090,15021 and its status port 15020.
        assertThat(injector.inject("kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a}]}\n"))
                .containsPattern("- --exclude-inbound-ports\n *- \"?15090,15021,15020\"?\n");
        assertThatThrownBy(() -> injector.inject("kind: Pod\nmetadata:\n  annotations:\n"
                        + "    readiness.status.sidecar.istio.io/failureThreshold: \"0\"\nspec: {containers: []}\n"))
                .hasMessage("readiness.status.sidecar.istio.io/failureThreshold: 0 (expected: an integer >= 1)");
    }

    @Test
    void rejectsAnUnknownInterceptionModeNamingTheAnnotation() {
        assertThatThrownBy(() -> injector.inject("kind: Pod\nmetadata:\n  annotations:\n"
                        + "    sidecar.istio.io/interceptionMode: TUN\nspec: {containers: []}\n"))
                .hasMessage("sidecar.istio.io/interceptionMode: TUN (expected: TPROXY, REDIRECT or NONE)");
    }

    @Test
    void reportsMalformedYaml() {
        assertThatThrownBy(() -> injector.inject("kind: [Pod\n")).hasMessageStartingWith("YAML: ");
    }
}
