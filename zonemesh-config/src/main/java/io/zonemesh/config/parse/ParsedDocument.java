package io.zonemesh.config.parse;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.List;

/**
 * One document after parsing.
 *
 * @param meta the resource's identity when its header could be read (even if it has errors)
 * @param resource the converted record ({@code K8sService}, {@code DestinationRuleConfig}, ...),
 *     or null when the document has errors
 */
public record ParsedDocument(
        @Nullable ResourceMeta meta, @Nullable Object resource, List<Diagnostic> diagnostics) {
    public ParsedDocument {
        diagnostics = List.copyOf(diagnostics);
    }
}
