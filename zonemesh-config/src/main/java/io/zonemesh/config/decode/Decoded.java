package io.zonemesh.config.decode;

import io.zonemesh.common.Nullable;
import java.util.List;

/**
 * A document read into a fabric8 model object, with every schema problem found on the way.
 * {@code value} is null only when the document could not be read at all; otherwise values
 * that had problems were left out of it.
 */
public record Decoded<T>(@Nullable T value, List<FieldProblem> problems) {
    public Decoded {
        problems = List.copyOf(problems);
    }
}
