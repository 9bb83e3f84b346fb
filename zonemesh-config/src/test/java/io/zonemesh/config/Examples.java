package io.zonemesh.config;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The repository's top-level examples/, which the build copies into the test resources. */
final class Examples {
    private Examples() {}

    static Path path(String relative) {
        try {
            return Path.of(Examples.class.getResource("/examples/" + relative).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
