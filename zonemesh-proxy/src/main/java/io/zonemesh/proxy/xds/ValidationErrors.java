package io.zonemesh.proxy.xds;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem found in one xDS response, so that a NACK lists them all (as Envoy
 * and Armeria do) instead of stopping at the first. Messages read
 * {@code "<Kind> <name>: <field path>: <value> (expected: ...)"}. Not thread-safe; used on the
 * xDS serial executor.
 */
public final class ValidationErrors {
    private final List<String> messages;
    private final String context;

    public ValidationErrors() {
        this(new ArrayList<>(), "");
    }

    private ValidationErrors(List<String> messages, String context) {
        this.messages = messages;
        this.context = context;
    }

    /** A view sharing this collector whose messages start with the resource's kind and name. */
    public ValidationErrors forResource(String kind, String name) {
        return new ValidationErrors(messages, kind + " " + (name.isEmpty() ? "\"\"" : name) + ": ");
    }

    /** Records {@code field: value (expected: expected)}. */
    public void add(String field, Object value, String expected) {
        messages.add(context + field + ": " + value + " (expected: " + expected + ")");
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    /** How many problems were recorded so far, to tell whether one resource added any. */
    public int count() {
        return messages.size();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** All problems, one per line, for {@code DiscoveryRequest.error_detail.message}. */
    public String joined() {
        return String.join("\n", messages);
    }

    /** Quotes a string value for a message. */
    static String quote(String value) {
        return "\"" + value + "\"";
    }
}
