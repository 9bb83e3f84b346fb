package io.zonemesh.config.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonemesh.common.Nullable;
import java.util.List;

/** Navigating a document tree by {@link FieldPath}. */
final class JsonNodes {
    private JsonNodes() {}

    static @Nullable JsonNode at(JsonNode root, FieldPath path) {
        JsonNode n = root;
        for (Object s : path.segments()) {
            if (n == null) {
                return null;
            }
            n = s instanceof Integer i ? (n.isArray() ? n.get(i) : null) : (n.isObject() ? n.get((String) s) : null);
        }
        return n;
    }

    /**
     * Removes the value at {@code path}: a field is deleted, a list element becomes null so that
     * the indexes of later problems stay those of the user's document. Returns whether anything
     * changed.
     */
    static boolean remove(JsonNode root, FieldPath path) {
        List<Object> segments = path.segments();
        if (segments.isEmpty()) {
            return false;
        }
        JsonNode parent = at(root, path.parent());
        Object last = segments.get(segments.size() - 1);
        if (last instanceof Integer i
                && parent instanceof ArrayNode array
                && i < array.size()
                && !array.get(i).isNull()) {
            array.set(i, NullNode.getInstance());
            return true;
        }
        if (last instanceof String name && parent instanceof ObjectNode object && object.has(name)) {
            object.remove(name);
            return true;
        }
        return false;
    }

    /** A short rendering of a value for messages: quoted strings, plain numbers, or its shape. */
    static String describe(@Nullable JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "value";
        }
        if (n.isTextual()) {
            return '"' + n.asText() + '"';
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isValueNode()) {
            return n.asText();
        }
        return n.isArray() ? "a list" : "a mapping";
    }
}
