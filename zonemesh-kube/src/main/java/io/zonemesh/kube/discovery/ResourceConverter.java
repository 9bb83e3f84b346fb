package io.zonemesh.kube.discovery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.LoadResult;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns one object from the API server into zonemesh's validated model with the same parsers
 * that read files ({@code zonemesh analyze}'s): the object is written as JSON (a YAML subset)
 * and loaded as a one-document source named {@code kube:<apiVersion>/<kind>/<ns>/<name>}, so an
 * Istio resource the API accepted but zonemesh rejects is reported exactly as analyze reports it.
 */
final class ResourceConverter {
    /**
     * Writes an object without the fields its fabric8 model does not know (kept in
     * {@code additionalProperties}). Used for Kubernetes' own kinds: the API server validated
     * them, and a field newer than the model (a newer cluster) must not make zonemesh reject a
     * Pod. Istio kinds keep theirs: their CRDs preserve unknown fields, so a typo reaches us and
     * is rejected as {@code zonemesh analyze} rejects it.
     */
    private static final ObjectMapper KNOWN_FIELDS_ONLY = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                private static final long serialVersionUID = 1L;

                @Override
                public Boolean hasAnyGetter(Annotated ann) {
                    return Boolean.FALSE;
                }
            });

    private final ConfigLoader loader = new ConfigLoader();

    /** The object's key: {@code apiVersion/kind/namespace/name} (namespace "" for cluster-scoped kinds). */
    static String key(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return object.getApiVersion() + "/" + object.getKind() + "/" + (ns == null ? "" : ns) + "/"
                + object.getMetadata().getName();
    }

    /** The object parsed, or its errors (every one, formatted as analyze prints them). */
    Converted convert(HasMetadata object) {
        LoadResult result = loader.loadString(json(object), "kube:" + key(object));
        List<Diagnostic> errors =
                result.diagnostics().stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) {
            return new Converted(result, errors.stream().map(Diagnostic::format).collect(Collectors.joining("; ")));
        }
        return new Converted(result, "");
    }

    private static String json(HasMetadata object) {
        String apiVersion = object.getApiVersion();
        if (apiVersion != null
                && (apiVersion.startsWith("networking.istio.io/") || apiVersion.startsWith("security.istio.io/"))) {
            return Serialization.asJson(object);
        }
        try {
            return KNOWN_FIELDS_ONLY.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + key(object) + " as JSON: " + e.getMessage(), e);
        }
    }

    /** A conversion: the one-resource bundle, and the joined error messages ("" when it is valid). */
    record Converted(LoadResult result, String errors) {
        boolean rejected() {
            return !errors.isEmpty();
        }
    }
}
