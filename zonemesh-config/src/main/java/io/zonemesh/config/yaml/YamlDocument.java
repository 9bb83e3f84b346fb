package io.zonemesh.config.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonemesh.common.Nullable;

/**
 * One document of a YAML stream: its tree, or why it could not be parsed.
 *
 * @param number 1-based among the stream's non-empty documents, as users count them
 * @param line 1-based line of the file where the document starts
 * @param root the parsed tree; null exactly when {@code failure} is set
 */
public record YamlDocument(
        int number,
        int line,
        @Nullable JsonNode root,
        @Nullable Failure failure) {

    /** A syntax error at a 1-based line and column of the file. */
    public record Failure(int line, int column, String message) {}
}
