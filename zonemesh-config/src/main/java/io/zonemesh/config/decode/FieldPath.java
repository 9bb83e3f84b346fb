package io.zonemesh.config.decode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a value sits in a document, rendered the way users write it:
 * {@code spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to["sg/az01/*"]}.
 * Immutable; each step returns a new path.
 */
public final class FieldPath {
    public static final FieldPath ROOT = new FieldPath(List.of());

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final List<Object> segments;

    private FieldPath(List<Object> segments) {
        this.segments = segments;
    }

    /** A path of field names from the document root, e.g. {@code of("spec", "host")}. */
    public static FieldPath of(String... names) {
        FieldPath p = ROOT;
        for (String n : names) {
            p = p.field(n);
        }
        return p;
    }

    /** A field of a mapping, or a key of a map: both are written the same way. */
    public FieldPath field(String name) {
        return append(name);
    }

    /** An element of a list. */
    public FieldPath index(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
        }
        return append(index);
    }

    /** This path followed by {@code other}. */
    public FieldPath concat(FieldPath other) {
        if (other.segments.isEmpty()) {
            return this;
        }
        List<Object> s = new ArrayList<>(segments);
        s.addAll(other.segments);
        return new FieldPath(Collections.unmodifiableList(s));
    }

    /** The path without its last segment (the root stays the root). */
    public FieldPath parent() {
        return segments.isEmpty() ? this : new FieldPath(segments.subList(0, segments.size() - 1));
    }

    /** The segments in order: {@code String} field names and {@code Integer} list indexes. */
    public List<Object> segments() {
        return segments;
    }

    private FieldPath append(Object segment) {
        List<Object> s = new ArrayList<>(segments.size() + 1);
        s.addAll(segments);
        s.add(segment);
        return new FieldPath(Collections.unmodifiableList(s));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Object s : segments) {
            if (s instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else {
                String name = (String) s;
                if (PLAIN_NAME.matcher(name).matches()) {
                    if (sb.length() > 0) {
                        sb.append('.');
                    }
                    sb.append(name);
                } else {
                    sb.append("[\"").append(name.replace("\"", "\\\"")).append("\"]");
                }
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && segments.equals(other.segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }
}
