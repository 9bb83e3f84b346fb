package io.zonemesh.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AdmissionReviewHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SidecarInjector injector = new SidecarInjector(InjectionConfig.defaults());
    private final AdmissionReviewHandler handler = new AdmissionReviewHandler(injector);

    @Test
    void answersWithAJsonPatchThatYieldsTheKubeInjectPod() throws Exception {
        JsonNode review = JSON.readTree(GoldenFiles.read("admission-pod.json"));
        JsonNode response =
                JSON.readTree(handler.handle(JSON.writeValueAsBytes(review))).get("response");

        assertThat(response.get("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.get("patchType").asText()).isEqualTo("JSONPatch");
        JsonNode patch =
                JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
        GoldenFiles.assertMatches(
                "admission-pod.patch.json",
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(patch) + "\n");

        JsonNode patched = JsonPatch.apply(patch, review.at("/request/object"));
        ObjectNode viaKubeInject = review.at("/request/object").deepCopy();
        injector.inject(viaKubeInject, "sample");
        assertThat(patched).isEqualTo(viaKubeInject);
        // ...and the same containers as the Deployment's template in the kube-inject golden file.
        java.util.List<JsonNode> documents = new YAMLMapper()
                .readerFor(JsonNode.class)
                .<JsonNode>readValues(GoldenFiles.read("workloads.injected.yaml"))
                .readAll();
        JsonNode golden = documents.stream()
                .filter(d -> d.at("/metadata/name").asText().equals("helloworld-az01"))
                .findFirst()
                .orElseThrow();
        assertThat(patched.at("/spec")).isEqualTo(golden.at("/spec/template/spec"));
    }

    @Test
    void allowsWithoutPatchWhenThePodOptsOut() throws Exception {
        ObjectNode review = (ObjectNode) JSON.readTree(GoldenFiles.read("admission-pod.json"));
        ((ObjectNode) review.at("/request/object/metadata/annotations")).put("sidecar.istio.io/inject", "false");
        JsonNode response =
                JSON.readTree(handler.handle(JSON.writeValueAsBytes(review))).get("response");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.has("patch")).isFalse();
    }

    @Test
    void refusesAReviewOfAnotherKindWithTheReason() throws Exception {
        ObjectNode review = (ObjectNode) JSON.readTree(GoldenFiles.read("admission-pod.json"));
        ((ObjectNode) review.at("/request/kind")).put("group", "apps").put("kind", "Deployment");
        JsonNode response =
                JSON.readTree(handler.handle(JSON.writeValueAsBytes(review))).get("response");
        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/message").asText()).startsWith("zonemesh sidecar injection: request.kind: ");
    }

    @Test
    void rejectsABodyThatIsNoAdmissionReview() {
        assertThatThrownBy(() -> handler.handle("{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("request.uid: missing");
        assertThatThrownBy(() -> handler.handle("{".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("body: not JSON");
    }
}
