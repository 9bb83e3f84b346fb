package io.zonemesh.xds.route;

import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.VirtualServiceConfig.HeaderOperations;
import io.zonemesh.model.istio.VirtualServiceConfig.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * VirtualService {@code headers} as Envoy header mutations, Istio's {@code TranslateHeadersOperations}:
 * {@code set} entries overwrite ({@code OVERWRITE_IF_EXISTS_OR_ADD}), {@code add} entries append
 * ({@code APPEND_IF_EXISTS_OR_ADD}), each group sorted by name, set before add. Pseudo-headers and
 * {@code host} cannot be mutated by Envoy and are dropped; a request {@code :authority}/{@code host}
 * value becomes the route's host rewrite instead ({@link #authority}).
 *
 * @param authority the request authority to rewrite to, or null
 */
public record HeaderEdits(
        List<HeaderValueOption> requestToAdd,
        List<String> requestToRemove,
        List<HeaderValueOption> responseToAdd,
        List<String> responseToRemove,
        @Nullable String authority) {

    public static final HeaderEdits NONE = new HeaderEdits(List.of(), List.of(), List.of(), List.of(), null);

    public HeaderEdits {
        requestToAdd = List.copyOf(requestToAdd);
        requestToRemove = List.copyOf(requestToRemove);
        responseToAdd = List.copyOf(responseToAdd);
        responseToRemove = List.copyOf(responseToRemove);
    }

    /** The edits of {@code headers}; {@link #NONE} for null. */
    public static HeaderEdits of(@Nullable Headers headers) {
        if (headers == null) {
            return NONE;
        }
        HeaderOperations req = headers.request();
        HeaderOperations resp = headers.response();
        List<HeaderValueOption> requestToAdd = new ArrayList<>(options(req.set(), false));
        requestToAdd.addAll(options(req.add(), true));
        List<HeaderValueOption> responseToAdd = new ArrayList<>(options(resp.set(), false));
        responseToAdd.addAll(options(resp.add(), true));
        // A value in set wins over one in add (Istio).
        String authority = authority(req.set());
        if (authority == null) {
            authority = authority(req.add());
        }
        return new HeaderEdits(requestToAdd, mutable(req.remove()), responseToAdd, mutable(resp.remove()), authority);
    }

    public boolean isEmpty() {
        return requestToAdd.isEmpty()
                && requestToRemove.isEmpty()
                && responseToAdd.isEmpty()
                && responseToRemove.isEmpty()
                && authority == null;
    }

    private static List<HeaderValueOption> options(Map<String, String> headers, boolean append) {
        List<HeaderValueOption> out = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(headers).entrySet()) {
            if (isInternal(e.getKey())) {
                continue;
            }
            out.add(HeaderValueOption.newBuilder()
                    .setHeader(HeaderValue.newBuilder().setKey(e.getKey()).setValue(e.getValue()))
                    .setAppendAction(
                            append
                                    ? HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
                                    : HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
                    .build());
        }
        return out;
    }

    private static @Nullable String authority(Map<String, String> headers) {
        String out = null;
        for (Map.Entry<String, String> e : new TreeMap<>(headers).entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.equals(":authority") || name.equals("host")) {
                out = e.getValue();
            }
        }
        return out;
    }

    private static List<String> mutable(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (!isInternal(n)) {
                out.add(n);
            }
        }
        return out;
    }

    private static boolean isInternal(String name) {
        return name.startsWith(":") || name.equalsIgnoreCase("host");
    }
}
