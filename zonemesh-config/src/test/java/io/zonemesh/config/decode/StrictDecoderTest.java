package io.zonemesh.config.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHash;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimple;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimpleLB;
import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.yaml.YamlDocuments;
import org.junit.jupiter.api.Test;

class StrictDecoderTest {
    private final StrictDecoder decoder = new StrictDecoder();

    private <T> Decoded<T> decode(String yaml, Class<T> type) {
        return decoder.decode(new YamlDocuments().parse(yaml).get(0).root(), type);
    }

    @Test
    void reportsEveryUnknownFieldOfADocumentWithItsFullPath() {
        Decoded<DestinationRule> d = decode("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: x, namespace: y, labelz: {a: b}}
                spec:
                  host: foo
                  trafficPolicy:
                    loadBalancer:
                      simple: ROUND_ROBIN
                      extra: [1, 2]
                      localityLbSetting:
                        distribute: [{from: a, to: {a: 100}, weight: 4}]
                  subsets: [{name: v1, lables: {version: v1}}]
                """, DestinationRule.class);

        assertThat(d.problems())
                .extracting(p -> p.code(), p -> p.path().toString())
                .containsExactlyInAnyOrder(
                        tuple(DiagnosticCode.UNKNOWN_FIELD, "metadata.labelz"),
                        tuple(DiagnosticCode.UNKNOWN_FIELD, "spec.trafficPolicy.loadBalancer.extra"),
                        tuple(
                                DiagnosticCode.UNKNOWN_FIELD,
                                "spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].weight"),
                        tuple(DiagnosticCode.UNKNOWN_FIELD, "spec.subsets[0].lables"));
        assertThat(d.value().getSpec().getSubsets().get(0).getName()).isEqualTo("v1");
        assertThat(d.value().getSpec().getTrafficPolicy().getLoadBalancer().getLbPolicy())
                .isEqualTo(new LoadBalancerSettingsSimple(LoadBalancerSettingsSimpleLB.ROUND_ROBIN));
    }

    @Test
    void unknownFieldMessageListsTheFieldsAUserMayWriteAndSuggestsTheClosest() {
        Decoded<DestinationRule> d = decode("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: x}
                spec: {host: foo, trafficPolicy: {loadBalancer: {simpel: RANDOM}}}
                """, DestinationRule.class);

        assertThat(d.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message())
                        .isEqualTo(
                                "unknown field, did you mean 'simple'? (expected: one of [consistentHash, localityLbSetting, simple, "
                                        + "warmup, warmupDurationSecs])"));
    }

    @Test
    void oneofMembersAreReadFromTheEnclosingObject() {
        Decoded<DestinationRule> d = decode("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: x}
                spec:
                  host: foo
                  trafficPolicy:
                    loadBalancer:
                      consistentHash: {httpCookie: {name: user, ttl: 0s}, minimumRingSize: 1024}
                """, DestinationRule.class);

        assertThat(d.problems()).isEmpty();
        var hash = (LoadBalancerSettingsConsistentHash)
                d.value().getSpec().getTrafficPolicy().getLoadBalancer().getLbPolicy();
        assertThat(hash.getConsistentHash().getMinimumRingSize()).isEqualTo(1024L);
    }

    @Test
    void twoMembersOfOneOneofAreReportedAtTheSecond() {
        Decoded<DestinationRule> d = decode("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: x}
                spec:
                  host: foo
                  trafficPolicy:
                    loadBalancer: {simple: RANDOM, consistentHash: {useSourceIp: true}}
                """, DestinationRule.class);

        assertThat(d.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(DiagnosticCode.INVALID_VALUE);
            assertThat(p.path()).hasToString("spec.trafficPolicy.loadBalancer.consistentHash");
            assertThat(p.message())
                    .isEqualTo("set together with 'simple' (expected: only one of [consistentHash, " + "simple])");
        });
    }

    @Test
    void enumValuesMustBeExactProtobufNames() {
        Decoded<DestinationRule> d = decode("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: x}
                spec: {host: foo, trafficPolicy: {loadBalancer: {simple: round_robin}}}
                """, DestinationRule.class);

        assertThat(d.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(DiagnosticCode.WRONG_TYPE);
            assertThat(p.path()).hasToString("spec.trafficPolicy.loadBalancer.simple");
            assertThat(p.message())
                    .isEqualTo("\"round_robin\" (expected: one of [LEAST_CONN, LEAST_REQUEST, "
                            + "PASSTHROUGH, RANDOM, ROUND_ROBIN, UNSPECIFIED])");
        });
    }

    @Test
    void wronglyTypedValuesAreAllReportedAndTheRestIsStillRead() {
        Decoded<Deployment> d = decode("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d, labels: {version: 2}}
                spec:
                  replicas: 1.5
                  selector: {matchLabels: {app: d}}
                  template:
                    metadata: {labels: {app: d}}
                    spec:
                      containers:
                      - {name: a, image: i, ports: [{containerPort: http}]}
                      - {name: b, image: i, env: [{name: N, value: true}]}
                """, Deployment.class);

        assertThat(d.problems())
                .extracting(p -> p.path().toString(), FieldProblem::message)
                .containsExactly(
                        tuple("metadata.labels.version", "2 (expected: a string; quote it to make it a string)"),
                        tuple("spec.replicas", "1.5 (expected: an integer)"),
                        tuple(
                                "spec.template.spec.containers[0].ports[0].containerPort",
                                "\"http\" (expected: an integer)"),
                        tuple(
                                "spec.template.spec.containers[1].env[0].value",
                                "true (expected: a string; quote it to make it a string)"));
        assertThat(d.value().getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName())
                .containsExactly("a", "b");
        assertThat(d.value().getSpec().getReplicas()).isNull();
    }

    @Test
    void objectWhereAStringIsExpectedIsAWrongType() {
        Decoded<DestinationRule> d = decode("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: x}
                spec: {host: {name: foo}}
                """, DestinationRule.class);

        assertThat(d.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).hasToString("spec.host");
            assertThat(p.message()).isEqualTo("a mapping (expected: a string)");
        });
        assertThat(d.value().getSpec().getHost()).isNull();
    }

    @Test
    void scalarWhereAListIsExpectedIsAWrongType() {
        Decoded<DestinationRule> d = decode("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: x}
                spec: {host: foo, exportTo: "."}
                """, DestinationRule.class);

        assertThat(d.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).hasToString("spec.exportTo");
            assertThat(p.message()).isEqualTo("\".\" (expected: a list)");
        });
    }

    @Test
    void leavesTheDocumentItReadUnchanged() {
        var doc = new YamlDocuments().parse("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: x}
                spec: {host: 7}
                """).get(0).root();
        String before = doc.toString();

        decoder.decode(doc, DestinationRule.class);

        assertThat(doc).hasToString(before);
    }
}
