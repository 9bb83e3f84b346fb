package io.zonemesh.kube.inject;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.zonemesh.common.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code zonemesh kube-inject}: reads multi-document YAML and writes every document back in its
 * order and with its keys in their order, with the sidecar added to each pod template Istio's
 * {@code istioctl kube-inject} would inject (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob, and the items of a List). Comments do not survive the
 * round trip, as with istioctl. Unlike istioctl, which ignores namespaces, a pod whose Namespace
 * is one of the documents is injected only when the webhook would be called for it, so that the
 * output is what the cluster would run.
 */
public final class KubeInjector {
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .build())
            .build();

    private final SidecarInjector injector;

    public KubeInjector(SidecarInjector injector) {
        this.injector = Objects.requireNonNull(injector, "injector");
    }

    /** The injected YAML; documents separated by {@code ---}. */
    public String inject(String yaml) {
        List<JsonNode> documents = read(yaml);
        Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        for (JsonNode doc : documents) {
            if ("Namespace".equals(doc.path("kind").asText())
                    && doc.path("metadata").has("name")) {
                namespaceLabels.put(
                        doc.path("metadata").path("name").asText(),
                        SidecarInjector.strings(doc.path("metadata").get("labels")));
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < documents.size(); i++) {
            JsonNode doc = documents.get(i);
            if (doc instanceof ObjectNode object) {
                injectWorkload(object, namespaceLabels);
            }
            if (i > 0) {
                out.append("---\n");
            }
            try {
                out.append(YAML.writeValueAsString(doc));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    private void injectWorkload(ObjectNode doc, Map<String, Map<String, String>> namespaceLabels) {
        String kind = doc.path("kind").asText();
        @Nullable
        String namespace = doc.path("metadata").hasNonNull("namespace")
                ? doc.path("metadata").path("namespace").asText()
                : null;
        @Nullable
        JsonNode pod = switch (kind) {
            case "Pod" -> doc;
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job" ->
                doc.path("spec").get("template");
            case "CronJob" -> doc.path("spec").path("jobTemplate").path("spec").get("template");
            case "List" -> {
                doc.path("items").forEach(item -> {
                    if (item instanceof ObjectNode itemObject) {
                        injectWorkload(itemObject, namespaceLabels);
                    }
                });
                yield null;
            }
            default -> null;
        };
        if (!(pod instanceof ObjectNode podObject)) {
            return;
        }
        Map<String, String> nsLabels = namespace == null ? null : namespaceLabels.get(namespace);
        if (nsLabels != null
                && !InjectionPolicy.webhookSelects(
                        nsLabels,
                        SidecarInjector.strings(podObject.path("metadata").get("labels")),
                        injector.config().revision())) {
            return;
        }
        injector.inject(podObject, namespace);
    }

    private static List<JsonNode> read(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(yaml);
                MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(parser)) {
            int index = 0;
            while (it.hasNextValue()) {
                index++;
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    documents.add(doc);
                } else if (doc == null) {
                    throw new IllegalArgumentException("document " + index + ": unreadable");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("YAML: " + e.getMessage(), e);
        }
        return documents;
    }
}
