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
                .containsPattern(
                        "startupProbe:\n *httpGet:\n *path: /healthz/ready\n *port: 15021\n"
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
    void applicationProbesGoToTheSidecarsStatusPortAsIstioRewritesThem() throws Exception {
        String pod = "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: web\n"
                + "    ports: [{name: http, containerPort: 8080}]\n"
                + "    readinessProbe: {httpGet: {path: /ready, port: http, httpHeaders: [{name: X-A, value: b}]},"
                + " periodSeconds: 5, timeoutSeconds: 2}\n"
                + "    livenessProbe: {tcpSocket: {port: 8080}}\n"
                + "    startupProbe: {grpc: {port: 9000}}\n"
                + "  - name: tls\n"
                + "    readinessProbe: {httpGet: {path: /, port: 8443, scheme: HTTPS}}\n";
        com.fasterxml.jackson.databind.JsonNode out =
                new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(injector.inject(pod));
        com.fasterxml.jackson.databind.JsonNode web = out.at("/spec/containers/0");
        assertThat(web.at("/readinessProbe").toString())
                .isEqualTo(
                        "{\"httpGet\":{\"path\":\"/app-health/web/readyz\",\"port\":15020,"
                                + "\"httpHeaders\":[{\"name\":\"X-A\",\"value\":\"b\"}]},\"periodSeconds\":5,\"timeoutSeconds\":2}");
        assertThat(web.at("/livenessProbe").toString())
                .isEqualTo("{\"httpGet\":{\"path\":\"/app-health/web/livez\",\"port\":15020}}");
        // gRPC and HTTPS probes are left alone (the sidecar's prober speaks HTTP and TCP).
        assertThat(web.at("/startupProbe").toString()).isEqualTo("{\"grpc\":{\"port\":9000}}");
        assertThat(out.at("/spec/containers/1/readinessProbe/httpGet/port").asInt())
                .isEqualTo(8443);
        com.fasterxml.jackson.databind.JsonNode proxy = out.at("/spec/containers/2");
        assertThat(proxy.get("name").asText()).isEqualTo("zonemesh-proxy");
        assertThat(proxy.get("args").toString()).contains("\"--app-health\",\"0.0.0.0:15020\"");
        String probers = null;
        for (com.fasterxml.jackson.databind.JsonNode env : proxy.get("env")) {
            if (env.get("name").asText().equals("ISTIO_KUBE_APP_PROBERS")) {
                probers = env.get("value").asText();
            }
        }
        assertThat(probers)
                .isEqualTo("{\"/app-health/web/readyz\":{\"httpGet\":{\"path\":\"/ready\",\"port\":8080,"
                        + "\"httpHeaders\":[{\"name\":\"X-A\",\"value\":\"b\"}]},\"timeoutSeconds\":2},"
                        + "\"/app-health/web/livez\":{\"tcpSocket\":{\"port\":8080}}}");

        String off = injector.inject(pod.replace(
                "metadata: {name: p}",
                "metadata: {name: p, annotations: {sidecar.istio.io/rewriteAppHTTPProbers: \"false\"}}"));
        // pilot-agent's port still runs (metrics), but no probe is rewritten to it.
        assertThat(off).doesNotContain("/app-health/").doesNotContain("ISTIO_KUBE_APP_PROBERS");
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
