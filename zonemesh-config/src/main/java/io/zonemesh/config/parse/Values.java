package io.zonemesh.config.parse;

import io.zonemesh.common.Nullable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Null-safe views of fabric8 collections. fabric8 fields are null when unset, YAML can hold
 * {@code ~} entries, and the decoder nulls out list elements it could not read; our records
 * copy collections with {@code List.copyOf}/{@code Map.copyOf}, which reject nulls.
 */
final class Values {
    private Values() {}

    static <T> List<T> list(@Nullable List<T> in) {
        return in == null ? List.of() : in;
    }

    /** The non-null elements, in order. */
    static List<String> strings(@Nullable List<String> in) {
        List<String> out = new ArrayList<>();
        for (String s : list(in)) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** The entries in order; a key written without a value ({@code key:}) maps to "". */
    static Map<String, String> strings(@Nullable Map<String, String> in) {
        Map<String, String> out = new LinkedHashMap<>();
        if (in != null) {
            in.forEach((k, v) -> {
                if (k != null) {
                    out.put(k, v == null ? "" : v);
                }
            });
        }
        return out;
    }

    static boolean isTrue(@Nullable Boolean b) {
        return Boolean.TRUE.equals(b);
    }
}
