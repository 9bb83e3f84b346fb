package io.zonemesh.config;

import java.util.List;

/** The outcome of loading: the bundle (possibly partial) and every problem found, all at once. */
public record LoadResult(MeshConfigBundle bundle, List<Diagnostic> diagnostics) {
    public LoadResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
