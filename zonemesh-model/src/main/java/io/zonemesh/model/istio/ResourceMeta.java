package io.zonemesh.model.istio;

import java.util.Map;
import java.util.Objects;

/**
 * Identity and origin of a configuration resource, kept so that every later finding (analyzer,
 * NACK, status) can name the file and document it came from.
 *
 * @param source file path (or "kubernetes" for API-server resources)
 * @param document 1-based document number within the file
 */
public record ResourceMeta(
        String kind,
        String namespace,
        String name,
        Map<String, String> labels,
        Map<String, String> annotations,
        String source,
        int document) {

    public ResourceMeta {
        Objects.requireNonNull(kind, "kind");
        namespace = Objects.requireNonNullElse(namespace, "");
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        source = Objects.requireNonNullElse(source, "");
    }

    /** {@code Kind/namespace/name} as used in messages. */
    public String ref() {
        return kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}
