package io.zonemesh.proxy.config;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Objects;

/**
 * A level's {@code request_headers_to_add/remove} and {@code response_headers_to_add/remove}
 * (a route, or a weighted cluster). As in Envoy's {@code HeaderParser}, removals come first,
 * then additions in order, each by its {@code append_action}.
 */
public record HeaderEdits(
        List<HeaderEdit> requestAdd,
        List<String> requestRemove,
        List<HeaderEdit> responseAdd,
        List<String> responseRemove) {

    public static final HeaderEdits NONE = new HeaderEdits(List.of(), List.of(), List.of(), List.of());

    public HeaderEdits {
        requestAdd = List.copyOf(requestAdd);
        requestRemove = List.copyOf(requestRemove);
        responseAdd = List.copyOf(responseAdd);
        responseRemove = List.copyOf(responseRemove);
    }

    public boolean isEmpty() {
        return requestAdd.isEmpty() && requestRemove.isEmpty() && responseAdd.isEmpty() && responseRemove.isEmpty();
    }

    public void applyToRequest(HttpHeaders headers) {
        apply(headers, requestRemove, requestAdd);
    }

    public void applyToResponse(HttpHeaders headers) {
        apply(headers, responseRemove, responseAdd);
    }

    private static void apply(HttpHeaders headers, List<String> remove, List<HeaderEdit> add) {
        for (String name : remove) {
            headers.remove(name);
        }
        for (HeaderEdit edit : add) {
            edit.apply(headers);
        }
    }

    /** Envoy's {@code HeaderValueOption.HeaderAppendAction}. */
    public enum AppendAction {
        APPEND_IF_EXISTS_OR_ADD,
        ADD_IF_ABSENT,
        OVERWRITE_IF_EXISTS_OR_ADD,
        OVERWRITE_IF_EXISTS
    }

    /**
     * One {@code HeaderValueOption}.
     *
     * @param keepEmpty {@code keep_empty_value}: without it an empty value adds nothing
     */
    public record HeaderEdit(String name, String value, AppendAction action, boolean keepEmpty) {
        public HeaderEdit {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(action, "action");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("name: \"\" (expected: non-empty)");
            }
        }

        void apply(HttpHeaders headers) {
            if (value.isEmpty() && !keepEmpty) {
                return;
            }
            switch (action) {
                case APPEND_IF_EXISTS_OR_ADD -> headers.add(name, value);
                case ADD_IF_ABSENT -> {
                    if (!headers.contains(name)) {
                        headers.add(name, value);
                    }
                }
                case OVERWRITE_IF_EXISTS_OR_ADD -> headers.set(name, value);
                case OVERWRITE_IF_EXISTS -> {
                    if (headers.contains(name)) {
                        headers.set(name, value);
                    }
                }
            }
        }
    }
}
