package io.zonemesh.config.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.Diagnostic.Severity;
import io.zonemesh.config.LoadResult;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzerTest {
    private static final String HELLOWORLD_DR = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: helloworld, namespace: sample}
            spec:
              host: helloworld
            """;

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();
    private final Analyzer analyzer = new Analyzer();

    private static Path example(String relative) {
        try {
            return Path.of(
                    AnalyzerTest.class.getResource("/examples/" + relative).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The multi-az example without its DestinationRule, plus {@code extra} as a file of its own. */
    private List<Diagnostic> multiAzWith(String extra) throws IOException {
        List<Path> layers = new ArrayList<>(List.of(example("multi-az/apps.yaml"), example("multi-az/cluster.yaml")));
        if (!extra.isEmpty()) {
            layers.add(Files.writeString(dir.resolve("extra.yaml"), extra));
        }
        LoadResult r = loader.loadLayers(layers);
        assertThat(r.hasErrors()).as("%s", r.diagnostics()).isFalse();
        return analyzer.analyze(r.bundle());
    }

    private Path extraFile() {
        return dir.resolve("extra.yaml");
    }

    @Test
    void multiAzWithoutDestinationRuleWarnsThatTrafficIsSpreadAcrossZones() throws IOException {
        List<Diagnostic> findings = multiAzWith("");

        assertThat(findings).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0201");
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.source()).isEqualTo(example("multi-az/apps.yaml").toString());
            assertThat(d.document()).isEqualTo(4);
            assertThat(d.resource()).isEqualTo("Service/sample/helloworld");
            assertThat(d.fieldPath()).isEmpty();
            assertThat(d.message())
                    .startsWith("no DestinationRule for helloworld.sample.svc.cluster.local: locality "
                            + "failover is off and traffic is spread across zones; callers in [sg/az01, sg/az02]");
        });
    }

    @Test
    void multiAzWithItsLocalityFailoverRuleHasNoFindings() {
        LoadResult r = loader.load(example("multi-az"));

        assertThat(analyzer.analyze(r.bundle())).isEmpty();
    }

    @Test
    void everyOtherExampleHasNoFindings() {
        for (String example : List.of("canary", "cross-region", "external-failover")) {
            assertThat(analyzer.analyze(loader.load(example(example)).bundle()))
                    .as(example)
                    .isEmpty();
        }
        assertThat(analyzer.analyze(
                        loader.loadLayers(List.of(example("cross-region"), example("cross-region/failover.yaml.alt")))
                                .bundle()))
                .isEmpty();
    }

    @Test
    void explicitMaxEjectionPercentOfTenWithTwoEndpointsCanNeverEject() throws IOException {
        List<Diagnostic> findings = multiAzWith(HELLOWORLD_DR + """
                  trafficPolicy:
                    outlierDetection: {consecutive5xxErrors: 1, maxEjectionPercent: 10}
                """);

        assertThat(findings).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0202");
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.source()).isEqualTo(extraFile().toString());
            assertThat(d.document()).isEqualTo(1);
            assertThat(d.resource()).isEqualTo("DestinationRule/sample/helloworld");
            assertThat(d.fieldPath()).isEqualTo("spec.trafficPolicy.outlierDetection.maxEjectionPercent");
            assertThat(d.message())
                    .contains(
                            "maxEjectionPercent 10 with 2 endpoint(s)",
                            "100*1/2 = 50 > 10",
                            "no endpoint can ever be ejected",
                            "always_eject_one_host only when maxEjectionPercent is unset",
                            "expected: at least 50");
        });
    }

    @Test
    void unsetMaxEjectionPercentLetsZonemeshEjectOneHost() throws IOException {
        assertThat(multiAzWith(HELLOWORLD_DR + """
                  trafficPolicy:
                    outlierDetection: {consecutive5xxErrors: 1}
                """)).isEmpty();
    }

    @Test
    void zoneLargerThanTheEjectionLimitCannotBeDrained() throws IOException {
        String twoPerZone = Files.readString(example("multi-az/apps.yaml"))
                .replace(
                        "replicas: 1\n  selector: " + "{matchLabels: {app: helloworld",
                        "replicas: 2\n  selector: {matchLabels: {app: helloworld");
        LoadResult r = loader.loadLayers(List.of(
                Files.writeString(dir.resolve("apps.yaml"), twoPerZone),
                example("multi-az/cluster.yaml"),
                example("multi-az/locality-failover.yaml")));

        assertThat(analyzer.analyze(r.bundle())).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0202");
            assertThat(d.fieldPath()).isEqualTo("spec.trafficPolicy.outlierDetection");
            assertThat(d.message())
                    .startsWith("at most 1 of the 4 endpoints of helloworld.sample.svc.cluster.local "
                            + "can be ejected at once");
            assertThat(d.message())
                    .contains(
                            "fewer than the 2 endpoints in sg/az0", "expected: maxEjectionPercent of " + "at least 50");
        });
    }

    @Test
    void failoverWithoutOutlierDetectionIsAnError() throws IOException {
        List<Diagnostic> findings = multiAzWith(HELLOWORLD_DR + """
                  trafficPolicy:
                    loadBalancer:
                      localityLbSetting:
                        failoverPriority: [topology.kubernetes.io/zone]
                """);

        assertThat(findings).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0201");
            assertThat(d.severity()).isEqualTo(Severity.ERROR);
            assertThat(d.fieldPath()).isEqualTo("spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority");
            assertThat(d.message()).contains("has no outlierDetection, so it is ignored", "LOCALITY.md §2.1");
        });
    }

    @Test
    void ruleWithoutOutlierDetectionForAMultiZoneServiceIsAWarning() throws IOException {
        List<Diagnostic> findings = multiAzWith(HELLOWORLD_DR + """
                  trafficPolicy:
                    connectionPool: {http: {maxRequestsPerConnection: 1}}
                """);

        assertThat(findings).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0201");
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.fieldPath()).isEqualTo("spec.trafficPolicy");
            assertThat(d.resource()).isEqualTo("DestinationRule/sample/helloworld");
        });
    }

    @Test
    void disabledLocalityLoadBalancingIsADeliberateChoice() throws IOException {
        assertThat(multiAzWith(HELLOWORLD_DR + """
                  trafficPolicy:
                    loadBalancer: {localityLbSetting: {enabled: false}}
                """)).isEmpty();
    }

    @Test
    void trafficDistributionForcesFailoverWithoutADestinationRule() throws IOException {
        String apps = Files.readString(example("multi-az/apps.yaml"))
                .replace(
                        "  selector: {app: helloworld}\n",
                        "  selector: {app: helloworld}\n  trafficDistribution: PreferClose\n");
        LoadResult r = loader.loadLayers(
                List.of(Files.writeString(dir.resolve("apps.yaml"), apps), example("multi-az/cluster.yaml")));

        assertThat(r.diagnostics()).isEmpty();
        assertThat(analyzer.analyze(r.bundle())).isEmpty();
    }

    @Test
    void namespaceTrafficDistributionForcesFailoverWithoutADestinationRule() throws IOException {
        // Istio reads networking.istio.io/traffic-distribution on the Namespace when the Service
        // says nothing: failover is on (Force), so ZM0201 must not claim it is off.
        String cluster = Files.readString(example("multi-az/cluster.yaml"))
                .replace(
                        "  name: sample\n",
                        "  name: sample\n  annotations: {networking.istio.io/traffic-distribution: PreferClose}\n");
        LoadResult r = loader.loadLayers(
                List.of(example("multi-az/apps.yaml"), Files.writeString(dir.resolve("cluster.yaml"), cluster)));

        assertThat(r.diagnostics()).isEmpty();
        assertThat(analyzer.analyze(r.bundle())).isEmpty();
    }

    @Test
    void distributeNeedsNoOutlierDetectionButDropsEndpointsWithoutLocality() {
        List<Path> layers = List.of(example("canary"), write("dist.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: istio-test, namespace: dev}
                spec:
                  host: istio-test
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}},
                            {name: v3, labels: {version: v3}}]
                  trafficPolicy:
                    loadBalancer:
                      localityLbSetting:
                        distribute: [{from: "us-east1/*", to: {"us-east1/*": 100}}]
                """));

        LoadResult r = loader.loadLayers(layers);
        List<Diagnostic> findings = analyzer.analyze(r.bundle());

        assertThat(r.diagnostics()).isEmpty();
        assertThat(findings).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0206");
            assertThat(d.fieldPath()).isEqualTo("spec.trafficPolicy.loadBalancer.localityLbSetting.distribute");
            assertThat(d.message()).startsWith("4 endpoint(s) of istio-test.dev.svc.cluster.local have no locality");
        });
    }

    @Test
    void referencesThatLeadNowhereAreReportedWhereTheyAreWritten() throws IOException {
        List<Diagnostic> findings = multiAzWith("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: helloworld, namespace: sample}
                spec:
                  host: helloworld
                  trafficPolicy: {outlierDetection: {consecutive5xxErrors: 1}}
                  subsets:
                  - {name: az01, labels: {version: az01}}
                  - {name: az03, labels: {version: az03}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: ghost, namespace: sample}
                spec:
                  host: ghost
                  trafficPolicy: {outlierDetection: {consecutive5xxErrors: 1}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: helloworld, namespace: sample}
                spec:
                  hosts: [helloworld]
                  http:
                  - route:
                    - {destination: {host: helloworld, subset: az01}, weight: 50}
                    - {destination: {host: helloworld, subset: az02}, weight: 50}
                  - route: [{destination: {host: goodbye.sample.svc.cluster.local}}]
                """);

        assertThat(findings)
                .extracting(Diagnostic::code, Diagnostic::document, Diagnostic::fieldPath)
                .containsExactlyInAnyOrder(
                        tuple("ZM0205", 1, "spec.subsets[1].labels"),
                        tuple("ZM0203", 2, "spec.host"),
                        tuple("ZM0204", 3, "spec.http[0].route[1].destination.subset"),
                        tuple("ZM0203", 3, "spec.http[1].route[0].destination.host"));
        Diagnostic subset = findings.stream()
                .filter(d -> d.code().equals("ZM0204"))
                .findFirst()
                .orElseThrow();
        assertThat(subset.severity()).isEqualTo(Severity.ERROR);
        assertThat(subset.message())
                .isEqualTo("\"az02\" is defined by no DestinationRule for "
                        + "helloworld.sample.svc.cluster.local; requests routed to it fail with 503 (expected: one of "
                        + "[az01, az03])");
        Diagnostic ghost =
                findings.stream().filter(d -> d.document() == 2).findFirst().orElseThrow();
        assertThat(ghost.message()).startsWith("\"ghost\" (ghost.sample.svc.cluster.local) is defined by no Service");
    }

    @Test
    void ruleInAThirdNamespaceDoesNotApplyToCallersElsewhere() throws IOException {
        List<Diagnostic> findings = multiAzWith("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: ops}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: helloworld, namespace: ops}
                spec:
                  host: helloworld.sample.svc.cluster.local
                  trafficPolicy: {outlierDetection: {consecutive5xxErrors: 1}}
                """);

        assertThat(findings).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0207");
            assertThat(d.resource()).isEqualTo("DestinationRule/ops/helloworld");
            assertThat(d.fieldPath()).isEqualTo("metadata.namespace");
            assertThat(d.message()).contains("only for callers in namespace ops", "callers in [sample]");
        });
    }

    @Test
    void ruleInTheServiceNamespaceKeptPrivateDoesNotApplyToOtherNamespaces() throws IOException {
        String sleepElsewhere = """
                apiVersion: v1
                kind: Namespace
                metadata: {name: client, labels: {istio-injection: enabled}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: curl, namespace: client}
                spec:
                  selector: {matchLabels: {app: curl}}
                  template:
                    metadata: {labels: {app: curl}}
                    spec: {containers: [{name: curl, image: curl}]}
                ---
                """;
        List<Diagnostic> findings = multiAzWith(sleepElsewhere + HELLOWORLD_DR + """
                  exportTo: ["."]
                  trafficPolicy: {outlierDetection: {consecutive5xxErrors: 1}}
                """);

        assertThat(findings).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0207");
            assertThat(d.fieldPath()).isEqualTo("spec.exportTo");
            assertThat(d.message()).contains("callers in [client]");
        });
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
