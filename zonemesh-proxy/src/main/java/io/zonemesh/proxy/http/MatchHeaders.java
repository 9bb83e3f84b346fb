package io.zonemesh.proxy.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonemesh.common.Nullable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request headers as route matching and hashing see them, without copying them: Envoy's
 * HTTP/1 codec exposes the request line as the {@code :authority}, {@code :method},
 * {@code :path} and {@code :scheme} pseudo-headers, which header matchers (Istio's method,
 * authority and scheme matches) and hash policies read. Look-ups by name answer the
 * pseudo-headers from the request line and every other name from the request's own headers;
 * the rarely used whole-set views are built on first use. Read-only. Valid until the request's
 * headers are turned into the upstream request's.
 */
final class MatchHeaders extends HttpHeaders {
    private final HttpHeaders headers;
    private final String authority;
    private final String method;
    private final String path;
    private final String scheme;
    private @Nullable HttpHeaders materialized;

    MatchHeaders(HttpHeaders headers, String authority, String method, String path, String scheme) {
        this.headers = headers;
        this.authority = authority;
        this.method = method;
        this.path = path;
        this.scheme = scheme;
    }

    /** The value of a pseudo-header name, or null when {@code name} is not one. */
    private @Nullable String pseudo(String name) {
        if (name.isEmpty() || name.charAt(0) != ':') {
            return null;
        }
        if (name.equalsIgnoreCase(":authority")) {
            return authority;
        }
        if (name.equalsIgnoreCase(":method")) {
            return method;
        }
        if (name.equalsIgnoreCase(":path")) {
            return path;
        }
        if (name.equalsIgnoreCase(":scheme")) {
            return scheme;
        }
        return null;
    }

    /** A real copy with the pseudo-headers set, for the whole-set views. */
    private HttpHeaders full() {
        if (materialized == null) {
            materialized = new DefaultHttpHeaders(false)
                    .add(headers)
                    .set(":authority", authority)
                    .set(":method", method)
                    .set(":path", path)
                    .set(":scheme", scheme);
        }
        return materialized;
    }

    @Override
    public @Nullable String get(String name) {
        String value = pseudo(name);
        return value != null ? value : headers.get(name);
    }

    @Override
    public List<String> getAll(String name) {
        String value = pseudo(name);
        return value != null ? List.of(value) : headers.getAll(name);
    }

    @Override
    public boolean contains(String name) {
        return pseudo(name) != null || headers.contains(name);
    }

    @Override
    public Integer getInt(CharSequence name) {
        return full().getInt(name);
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        return full().getInt(name, defaultValue);
    }

    @Override
    public Short getShort(CharSequence name) {
        return full().getShort(name);
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        return full().getShort(name, defaultValue);
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        return full().getTimeMillis(name);
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        return full().getTimeMillis(name, defaultValue);
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        return full().entries();
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return full().iterator();
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return full().iteratorCharSequence();
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public int size() {
        return full().size();
    }

    @Override
    public Set<String> names() {
        return full().names();
    }

    @Override
    public HttpHeaders add(String name, Object value) {
        throw readOnly();
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        throw readOnly();
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        throw readOnly();
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        throw readOnly();
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        throw readOnly();
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        throw readOnly();
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        throw readOnly();
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        throw readOnly();
    }

    @Override
    public HttpHeaders remove(String name) {
        throw readOnly();
    }

    @Override
    public HttpHeaders clear() {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("the match view of request headers is read-only");
    }
}
