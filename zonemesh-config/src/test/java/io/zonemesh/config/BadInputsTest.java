package io.zonemesh.config;

import static io.zonemesh.config.Diagnostics.assertDiagnostic;
import static io.zonemesh.config.Diagnostics.at;
import static io.zonemesh.config.Diagnostics.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.Diagnostic.Severity;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The corpus under src/test/resources/bad: each file's problems, exactly as reported. */
class BadInputsTest {
    private final ConfigLoader loader = new ConfigLoader();

    private static Path bad(String name) {
        try {
            return Path.of(BadInputsTest.class.getResource("/bad/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private LoadResult load(String name) {
        return loader.load(bad(name));
    }

    @Test
    void malformedYamlIsReportedWithLineAndColumnAndTheOtherDocumentsStillLoad() {
        LoadResult r = load("malformed.yaml");

        Diagnostic d = only(r.diagnostics(), "ZM0100");
        assertDiagnostic(d, "ZM0100", bad("malformed.yaml").toString(), 2, "", "");
        assertThat(d.message()).startsWith("line 10, column 10: ");
        assertThat(r.diagnostics()).hasSize(1);
        assertThat(r.bundle().namespaces()).extracting(n -> n.meta().name()).containsExactly("first", "third");
    }

    @Test
    void unknownKindListsTheSupportedKinds() {
        LoadResult r = load("unknown-kind.yaml");

        // PeerAuthentication is read (not applied) under security.istio.io; inside networking.istio.io
        // it is an unknown Istio kind, an error naming where it is served.
        Diagnostic kind = r.diagnostics().stream()
                .filter(d -> d.document() == 1)
                .findFirst()
                .orElseThrow();
        assertDiagnostic(
                kind,
                "ZM0101",
                bad("unknown-kind.yaml").toString(),
                1,
                "PeerAuthentication/sample/strict",
                "apiVersion");
        assertThat(kind.message())
                .isEqualTo("\"networking.istio.io/v1\" does not serve kind PeerAuthentication "
                        + "(expected: one of [security.istio.io/v1, security.istio.io/v1beta1])");
    }

    @Test
    void unsupportedApiVersionOfAKnownKindListsTheServedVersions() {
        LoadResult r = load("unknown-kind.yaml");

        Diagnostic version = r.diagnostics().stream()
                .filter(d -> d.document() == 2)
                .findFirst()
                .orElseThrow();
        assertDiagnostic(
                version, "ZM0101", bad("unknown-kind.yaml").toString(), 2, "Deployment/sample/old", "apiVersion");
        assertThat(version.message())
                .isEqualTo("\"apps/v1beta1\" does not serve kind Deployment (expected: one of " + "[apps/v1])");
        assertThat(r.bundle().deployments()).isEmpty();
    }

    @Test
    void unknownFieldDeepInADestinationRuleIsReportedAtItsPath() {
        LoadResult r = load("unknown-field-deep.yaml");

        Diagnostic d = only(r.diagnostics(), "ZM0102");
        assertDiagnostic(
                d,
                "ZM0102",
                bad("unknown-field-deep.yaml").toString(),
                1,
                "DestinationRule/sample/helloworld",
                "spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].weight");
        assertThat(d.message()).isEqualTo("unknown field (expected: one of [from, to])");
        assertThat(r.diagnostics()).hasSize(1);
        assertThat(r.bundle().istio().destinationRules()).isEmpty();
    }

    @Test
    void stringWhereAnIntegerIsExpectedIsAWrongType() {
        LoadResult r = load("wrong-type.yaml");

        Diagnostic d = only(r.diagnostics(), "ZM0103");
        assertDiagnostic(
                d,
                "ZM0103",
                bad("wrong-type.yaml").toString(),
                1,
                "DestinationRule/sample/helloworld",
                "spec.trafficPolicy.outlierDetection.consecutive5xxErrors");
        assertThat(d.message()).isEqualTo("\"five\" (expected: an integer)");
    }

    @Test
    void distributeWeightsSummingTo90AreRejected() {
        LoadResult r = load("distribute-weights-90.yaml");

        Diagnostic d = only(r.diagnostics(), "ZM0105");
        assertDiagnostic(
                d,
                "ZM0105",
                bad("distribute-weights-90.yaml").toString(),
                1,
                "DestinationRule/shop/reviews",
                "spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to");
        assertThat(d.message()).isEqualTo("weights sum to 90 (expected: exactly 100)");
    }

    @Test
    void distributeTogetherWithFailoverIsRejected() {
        LoadResult r = load("distribute-and-failover.yaml");

        assertDiagnostic(
                only(r.diagnostics(), "ZM0105"),
                "ZM0105",
                bad("distribute-and-failover.yaml").toString(),
                1,
                "DestinationRule/shop/reviews",
                "spec.trafficPolicy.loadBalancer.localityLbSetting.failover");
        assertThat(r.diagnostics()).hasSize(1);
    }

    @Test
    void failoverBetweenZonesInsteadOfRegionsIsRejected() {
        LoadResult r = load("failover-slash.yaml");

        Diagnostic d = only(r.diagnostics(), "ZM0105");
        assertDiagnostic(
                d,
                "ZM0105",
                bad("failover-slash.yaml").toString(),
                1,
                "DestinationRule/shop/reviews",
                "spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0].from");
        assertThat(d.message()).startsWith("\"cn-hangzhou/cn-hangzhou-h\" (expected: a region only");
    }

    @Test
    void topologyLabelInFailoverPriorityTogetherWithFailoverIsRejected() {
        LoadResult r = load("failover-priority-topology.yaml");

        assertDiagnostic(
                only(r.diagnostics(), "ZM0105"),
                "ZM0105",
                bad("failover-priority-topology.yaml").toString(),
                1,
                "DestinationRule/shop/reviews",
                "spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority[1]");
    }

    @Test
    void durationWithoutAValidUnitIsRejected() {
        LoadResult r = load("bad-duration.yaml");

        Diagnostic d = only(r.diagnostics(), "ZM0105");
        assertDiagnostic(
                d,
                "ZM0105",
                bad("bad-duration.yaml").toString(),
                1,
                "DestinationRule/sample/helloworld",
                "spec.trafficPolicy.outlierDetection.interval");
        assertThat(d.message()).isEqualTo("\"10 seconds\" (expected: a duration such as 100ms, 1s, 0.5s, 1m or 1h)");
    }

    @Test
    void regexThatDoesNotCompileIsRejectedWithTheCompilerReason() {
        LoadResult r = load("bad-regex.yaml");

        Diagnostic d = only(r.diagnostics(), "ZM0105");
        assertDiagnostic(
                d,
                "ZM0105",
                bad("bad-regex.yaml").toString(),
                1,
                "VirtualService/shop/reviews",
                "spec.http[0].match[0].uri.regex");
        assertThat(d.message()).contains("Unclosed group");
    }

    @Test
    void secondResourceWithTheSameIdentityIsADuplicateNamingTheFirst() {
        LoadResult r = load("duplicate.yaml");

        Diagnostic d = only(r.diagnostics(), "ZM0106");
        assertDiagnostic(d, "ZM0106", bad("duplicate.yaml").toString(), 2, "Service/shop/reviews", "metadata.name");
        assertThat(d.message()).contains(bad("duplicate.yaml") + " (document 1)");
        assertThat(r.bundle().services())
                .singleElement()
                .satisfies(s -> assertThat(s.selector()).containsEntry("app", "reviews"));
    }

    @Test
    void everyProblemOfAFileIsReportedInOneLoad() {
        LoadResult r = load("several-errors.yaml");
        String file = bad("several-errors.yaml").toString();
        List<Diagnostic> all = r.diagnostics();

        assertDiagnostic(at(all, "spec.hosts"), "ZM0102", file, 1, "DestinationRule/shop/reviews", "spec.hosts");
        assertThat(at(all, "spec.hosts").message()).contains("did you mean 'host'?");
        assertDiagnostic(at(all, "spec.host"), "ZM0104", file, 1, "DestinationRule/shop/reviews", "spec.host");
        assertDiagnostic(
                at(all, "spec.trafficPolicy.outlierDetection.maxEjectionPercent"),
                "ZM0105",
                file,
                1,
                "DestinationRule/shop/reviews",
                "spec.trafficPolicy.outlierDetection.maxEjectionPercent");
        Diagnostic duration = at(all, "spec.trafficPolicy.outlierDetection.baseEjectionTime");
        assertDiagnostic(
                duration,
                "ZM0103",
                file,
                1,
                "DestinationRule/shop/reviews",
                "spec.trafficPolicy.outlierDetection.baseEjectionTime");
        assertThat(duration.message()).isEqualTo("30 (expected: a duration with a unit, e.g. 30s)");
        assertDiagnostic(
                at(all, "spec.subsets[1].name"),
                "ZM0105",
                file,
                1,
                "DestinationRule/shop/reviews",
                "spec.subsets[1].name");
        assertDiagnostic(
                at(all, "spec.http[0].route[1].destination.host"),
                "ZM0104",
                file,
                3,
                "VirtualService/shop/reviews",
                "spec.http[0].route[1].destination.host");
        assertDiagnostic(
                at(all, "spec.http[0].route"), "ZM0105", file, 3, "VirtualService/shop/reviews", "spec.http[0].route");
        assertDiagnostic(
                at(all, "spec.http[0].fault.abort.httpStatus"),
                "ZM0105",
                file,
                3,
                "VirtualService/shop/reviews",
                "spec.http[0].fault.abort.httpStatus");
        assertDiagnostic(
                at(all, "spec.http[0].fault.abort.percentage.value"),
                "ZM0105",
                file,
                3,
                "VirtualService/shop/reviews",
                "spec.http[0].fault.abort.percentage.value");
        assertDiagnostic(at(all, "apiVersion"), "ZM0104", file, 4, "", "apiVersion");
        assertDiagnostic(at(all, "metadata.name"), "ZM0104", file, 4, "", "metadata.name");
        assertThat(all).hasSize(11).allMatch(d -> d.severity() == Severity.ERROR);
        assertThat(r.bundle().services()).extracting(s -> s.meta().name()).containsExactly("ratings");
        assertThat(r.bundle().istio().destinationRules()).isEmpty();
        assertThat(r.bundle().istio().virtualServices()).isEmpty();
    }
}
