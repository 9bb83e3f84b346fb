package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.zonemesh.config.k8s.IstioOperatorConfig;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.model.MeshSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IstioOperator documents, cluster settings, and the Service fields network gateways are found from. */
class MultiClusterKindsTest {
    private final ConfigLoader loader = new ConfigLoader();
    private static final ClusterSettings DEFAULTS = new ClusterSettings("Kubernetes", "", "cluster.local");

    private static final String OPERATOR = """
            apiVersion: install.istio.io/v1alpha1
            kind: IstioOperator
            metadata: {name: cluster2, namespace: istio-system}
            spec:
              profile: default
              meshConfig: {trustDomain: example.org, accessLogFile: /dev/stdout}
              values:
                pilot: {env: {PILOT_TRACE_SAMPLING: "1"}}
                global:
                  meshID: mesh1
                  multiCluster: {clusterName: cluster2, enabled: true}
                  network: network2
            """;

    private static List<Diagnostic> errors(LoadResult r) {
        return r.diagnostics().stream().filter(Diagnostic::isError).toList();
    }

    @Test
    void anIstioOperatorGivesClusterNetworkAndTrustDomainAndNotesEveryIgnoredField() {
        LoadResult r = loader.loadString(OPERATOR, "operator.yaml");
        assertThat(errors(r)).isEmpty();
        IstioOperatorConfig op = r.bundle().istioOperators().get(0);
        assertThat(op.clusterName()).isEqualTo("cluster2");
        assertThat(op.network()).isEqualTo("network2");
        assertThat(op.trustDomain()).isEqualTo("example.org");
        assertThat(op.ignoredFields())
                .containsExactly(
                        "spec.profile",
                        "spec.values.pilot",
                        "spec.values.global.meshID",
                        "spec.values.global.multiCluster.enabled",
                        "spec.meshConfig.accessLogFile");
        assertThat(r.diagnostics())
                .extracting(Diagnostic::code, Diagnostic::severity)
                .containsExactly(tuple("ZM0108", Diagnostic.Severity.INFO));
        assertThat(r.diagnostics().get(0).message()).contains("spec.profile", "spec.values.global.meshID");
        ClusterSettings settings = ClusterSettings.resolve(r.bundle(), DEFAULTS);
        assertThat(settings).isEqualTo(new ClusterSettings("cluster2", "network2", "example.org"));
        MeshSettings mesh = settings.applyTo(MeshSettings.DEFAULT);
        assertThat(mesh.clusterName()).isEqualTo("cluster2");
        assertThat(mesh.network()).isEqualTo("network2");
    }

    @Test
    void theIstioSystemNamespaceLabelGivesTheNetworkAndWinsOverTheOperator() {
        String ns = """
                apiVersion: v1
                kind: Namespace
                metadata: {name: istio-system, labels: {topology.istio.io/network: network9}}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: other, labels: {topology.istio.io/network: network7}}
                """;
        LoadResult onlyNs = loader.loadString(ns, "ns.yaml");
        assertThat(ClusterSettings.resolve(onlyNs.bundle(), DEFAULTS))
                .isEqualTo(new ClusterSettings("Kubernetes", "network9", "cluster.local"));
        LoadResult both = loader.loadString(ns + "---\n" + OPERATOR, "both.yaml");
        assertThat(ClusterSettings.resolve(both.bundle(), DEFAULTS).network()).isEqualTo("network9");
        assertThat(ClusterSettings.resolve(
                        loader.loadString("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n", "a.yaml").bundle(),
                        DEFAULTS))
                .isEqualTo(DEFAULTS);
    }

    @Test
    void istioOperatorErrorsNameTheFieldAndWhatWasExpected() {
        LoadResult r = loader.loadString("""
                apiVersion: install.istio.io/v1alpha1
                kind: IstioOperator
                metadata: {name: bad}
                spec:
                  meshConfig: {trustDomain: "a/b"}
                  values:
                    global:
                      multiCluster: {clusterName: [c1]}
                      network: "-net"
                specs: {}
                """, "bad.yaml");
        assertThat(errors(r))
                .extracting(Diagnostic::code, Diagnostic::fieldPath, Diagnostic::message)
                .containsExactlyInAnyOrder(
                        tuple("ZM0102", "specs", "\"specs\" (expected: apiVersion, kind, metadata, spec)"),
                        tuple("ZM0103", "spec.values.global.multiCluster.clusterName", "a list (expected: a string)"),
                        tuple(
                                "ZM0105",
                                "spec.values.global.network",
                                "\"-net\" (expected: a label value of at most 63 letters, digits, '-', '_' and '.', "
                                        + "starting and ending alphanumeric)"),
                        tuple(
                                "ZM0105",
                                "spec.meshConfig.trustDomain",
                                "\"a/b\" (expected: a trust domain such as cluster.local, without '/' or spaces)"));
        assertThat(r.bundle().istioOperators()).isEmpty();
        LoadResult notMapping = loader.loadString(
                "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {name: x}\nspec: [1]\n", "x.yaml");
        assertThat(errors(notMapping))
                .extracting(Diagnostic::fieldPath, Diagnostic::message)
                .containsExactly(tuple("spec", "a list (expected: a mapping)"));
    }

    @Test
    void aServiceKeepsItsTypeLoadBalancerIpExternalIpsAndIngressStatus() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: Service
                metadata: {name: istio-eastwestgateway, namespace: istio-system, labels: {topology.istio.io/network: network2}}
                spec:
                  type: LoadBalancer
                  loadBalancerIP: 127.0.2.10
                  externalIPs: [192.0.2.7]
                  selector: {istio: eastwestgateway}
                  ports: [{name: tls, port: 15443}]
                status:
                  loadBalancer: {ingress: [{ip: 198.51.100.4}, {hostname: gw.example.com}]}
                """, "gw.yaml");
        assertThat(errors(r)).isEmpty();
        K8sService.External ext = r.bundle().services().get(0).external();
        assertThat(ext)
                .isEqualTo(new K8sService.External(
                        "LoadBalancer", "127.0.2.10", List.of("192.0.2.7"), List.of("198.51.100.4", "gw.example.com")));
    }

    private static String gateway(String protocol, String tls) {
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: cross-network-gateway, namespace: istio-system}
                spec:
                  selector: {istio: eastwestgateway}
                  servers:
                  - port: {number: 15443, name: tls, protocol: PROTOCOL}
                    tls: TLS
                    hosts: ["*.local"]
                """.replace("PROTOCOL", protocol).replace("TLS\n", tls + "\n");
    }

    @Test
    void autoPassthroughGatewaysValidateAsIstio() {
        LoadResult ok = loader.loadString(gateway("TLS", "{mode: AUTO_PASSTHROUGH}"), "expose-services.yaml");
        assertThat(ok.diagnostics()).isEmpty();
        assertThat(ok.bundle().istio().gateways().get(0).servers().get(0).tls().mode()).isEqualTo("AUTO_PASSTHROUGH");

        LoadResult certs = loader.loadString(
                gateway("TLS", "{mode: AUTO_PASSTHROUGH, credentialName: gw-cert}"), "certs.yaml");
        assertThat(certs.diagnostics())
                .extracting(Diagnostic::code, Diagnostic::fieldPath, Diagnostic::message)
                .containsExactly(tuple(
                        "ZM0107",
                        "spec.servers[0].tls.mode",
                        "AUTO_PASSTHROUGH mode does not use certificates, they will be ignored"));

        LoadResult http = loader.loadString(gateway("HTTP", "{mode: AUTO_PASSTHROUGH}"), "http.yaml");
        assertThat(errors(http))
                .extracting(Diagnostic::fieldPath, Diagnostic::message)
                .containsExactly(tuple(
                        "spec.servers[0].tls",
                        "TLS settings on a HTTP server (expected: protocol HTTPS or TLS, or only httpsRedirect)"));
        LoadResult noTls = loader.loadString(gateway("TLS", "null"), "notls.yaml");
        assertThat(errors(noTls)).extracting(Diagnostic::fieldPath).containsExactly("spec.servers[0].tls");
    }

    @Test
    void analyzeReportsANetworkLabelledServiceThatCannotBeAGateway() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: Service
                metadata: {name: eastwest, namespace: istio-system, labels: {topology.istio.io/network: network2}}
                spec: {type: LoadBalancer, selector: {istio: eastwestgateway}, ports: [{name: status-port, port: 15021}]}
                """, "gw.yaml");
        List<Diagnostic> found = new io.zonemesh.config.analysis.Analyzer().analyze(r.bundle());
        assertThat(found)
                .extracting(Diagnostic::code, Diagnostic::resource, Diagnostic::message)
                .containsExactly(tuple(
                        "ZM0213",
                        "Service/istio-system/eastwest",
                        "Service/istio-system/eastwest: labelled topology.istio.io/network=network2 but exposes no port "
                                + "15443 (expected: the gateway's TLS passthrough port); not used as a network gateway"));
    }
}
