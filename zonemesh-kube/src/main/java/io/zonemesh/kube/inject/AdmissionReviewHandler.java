package io.zonemesh.kube.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonDiff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The sidecar-injection webhook's logic, as istiod's {@code pkg/kube/inject/webhook.go}
 * {@code inject}: takes an {@code admission.k8s.io/v1} AdmissionReview for a Pod and answers
 * with the same review carrying {@code response: {uid, allowed: true}} plus, when the pod gets a
 * sidecar, {@code patchType: JSONPatch} and the base64 RFC 6902 patch from the pod as sent to the
 * pod {@link SidecarInjector} makes of it (the pod {@code kube-inject} would print). A request
 * that cannot be decoded is refused ({@code allowed: false} with the reason), as istiod does.
 */
public final class AdmissionReviewHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SidecarInjector injector;

    public AdmissionReviewHandler(SidecarInjector injector) {
        this.injector = Objects.requireNonNull(injector, "injector");
    }

    /**
     * Answers one AdmissionReview.
     *
     * @throws IllegalArgumentException when the body is not an AdmissionReview at all (no
     *     {@code request.uid} to answer to)
     */
    public byte[] handle(byte[] body) {
        JsonNode review;
        try {
            review = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "body: not JSON (expected: an admission.k8s.io/v1 AdmissionReview): " + e.getMessage(), e);
        }
        JsonNode request = review == null ? null : review.get("request");
        if (request == null || !request.path("uid").isTextual()) {
            throw new IllegalArgumentException(
                    "request.uid: missing (expected: an admission.k8s.io/v1 AdmissionReview)");
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("apiVersion", "admission.k8s.io/v1");
        out.put("kind", "AdmissionReview");
        ObjectNode response = out.putObject("response");
        response.put("uid", request.get("uid").asText());
        try {
            patch(request, response);
        } catch (IllegalArgumentException e) {
            response.put("allowed", false);
            response.putObject("status").put("message", "zonemesh sidecar injection: " + e.getMessage());
        }
        try {
            return JSON.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing the AdmissionReview response", e);
        }
    }

    private void patch(JsonNode request, ObjectNode response) {
        JsonNode kind = request.path("kind");
        if (!"Pod".equals(kind.path("kind").asText())
                || !kind.path("group").asText().isEmpty()) {
            throw new IllegalArgumentException("request.kind: " + kind + " (expected: a core/v1 Pod)");
        }
        if (!(request.get("object") instanceof ObjectNode pod)) {
            throw new IllegalArgumentException("request.object: missing (expected: the Pod)");
        }
        String namespace = request.path("namespace")
                .asText(pod.path("metadata").path("namespace").asText(""));
        ObjectNode injected = pod.deepCopy();
        response.put("allowed", true);
        if (injector.inject(injected, namespace.isEmpty() ? null : namespace)) {
            JsonNode patch = JsonDiff.asJson(pod, injected);
            response.put("patchType", "JSONPatch");
            response.put(
                    "patch", Base64.getEncoder().encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
        }
    }
}
