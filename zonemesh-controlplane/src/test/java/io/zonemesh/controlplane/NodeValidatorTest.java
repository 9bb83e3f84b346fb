package io.zonemesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.MeshRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a node may and may not claim about a registered pod. */
class NodeValidatorTest {
    private MeshRegistry registry;
    private NodeValidator validator;
    private Node sleep;

    @BeforeEach
    void setUp() throws Exception {
        registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, AdsServerTest.multiAz());
        validator = new NodeValidator(registry);
        sleep = AdsServerTest.node(registry);
    }

    @Test
    void acceptsWhatTheRegistryKnowsAndWhatItLeavesOut() {
        assertThat(validator.contradictions(sleep)).isNull();
        assertThat(validator.contradictions(
                        Node.newBuilder().setId(sleep.getId()).build()))
                .isNull();
        assertThat(validator.contradictions(sleep.toBuilder()
                        .setLocality(Locality.newBuilder().setRegion("sg"))
                        .build()))
                .isNull();
    }

    @Test
    void resolvesIstiosNodeIdFormatToThePod() {
        String pod = sleep.getId().substring(0, sleep.getId().lastIndexOf('.'));
        Node istio = Node.newBuilder()
                .setId("sidecar~10.9.9.9~" + pod + ".sample~sample.svc.cluster.local")
                .setLocality(Locality.newBuilder().setRegion("eu"))
                .build();
        // Found by its id alone (no metadata), so its locality claim is checked against the pod's.
        assertThat(validator.contradictions(istio)).contains("node.locality.region: eu (expected: sg)");
        assertThat(NodeValidator.podPart(istio.getId())).isEqualTo(pod + ".sample");
    }

    @Test
    void acceptsANodeNamingNoRegisteredPod() {
        assertThat(validator.contradictions(Node.newBuilder()
                        .setId("vm-1.legacy")
                        .setLocality(Locality.newBuilder().setRegion("eu").setZone("z9"))
                        .build()))
                .isNull();
    }

    @Test
    void refusesMetadataNamingAnotherPodThanTheNodeId() {
        Node other = sleep.toBuilder()
                .setMetadata(sleep.getMetadata().toBuilder()
                        .putFields(
                                "NAME",
                                Value.newBuilder()
                                        .setStringValue("helloworld-az01-0")
                                        .build())
                        .putFields(
                                "NAMESPACE",
                                Value.newBuilder().setStringValue("other").build()))
                .build();
        String pod = sleep.getId().substring(0, sleep.getId().lastIndexOf('.'));
        assertThat(validator.contradictions(other))
                .isEqualTo("node " + sleep.getId()
                        + " contradicts the registry's pod sample/" + pod
                        + ": node.metadata.NAMESPACE: other (expected: sample); "
                        + "node.metadata.NAME: helloworld-az01-0 (expected: " + pod + ")");
    }

    @Test
    void refusesALabelThePodDoesNotHave() {
        Node labelled = sleep.toBuilder()
                .setMetadata(sleep.getMetadata().toBuilder()
                        .putFields(
                                "LABELS",
                                Value.newBuilder()
                                        .setStructValue(Struct.newBuilder()
                                                .putFields(
                                                        "tier",
                                                        Value.newBuilder()
                                                                .setStringValue("admin")
                                                                .build()))
                                        .build()))
                .build();
        assertThat(validator.contradictions(labelled))
                .endsWith(": node.metadata.LABELS.tier: admin " + "(expected: no such label)");
    }

    @Test
    void checksTheMetadataNamedPodWhenTheIdNamesNone() {
        Node byMetadata = sleep.toBuilder()
                .setId("sidecar~10.0.0.1")
                .setLocality(Locality.newBuilder().setRegion("sg").setZone("az02"))
                .build();
        assertThat(validator.contradictions(byMetadata)).endsWith(": node.locality.zone: az02 (expected: az01)");
    }
}
