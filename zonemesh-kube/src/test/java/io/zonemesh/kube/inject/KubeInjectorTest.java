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
