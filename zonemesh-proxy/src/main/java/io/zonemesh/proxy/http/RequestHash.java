package io.zonemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.XxHash64;
import io.zonemesh.proxy.config.HashPolicy;
import io.zonemesh.proxy.config.QueryParameterMatcher;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request's consistent-hash key from the route's {@code hash_policy}, Envoy's
 * {@code HashPolicyImpl::generateHash}: each policy that yields a value is folded in as
 * {@code rotl(hash, 1) ^ value} (so equal policies do not cancel out), and a {@code terminal}
 * policy that produced a hash ends the evaluation. Values are hashed with xxHash64.
 */
final class RequestHash {
    private RequestHash() {}

    /**
     * The hash, or null when no policy yields a value (the balancer then draws a random one).
     *
     * @param setCookies receives the {@code Set-Cookie} values of cookies this request made up
     */
    static @Nullable Long compute(
            List<HashPolicy> policies,
            HttpHeaders headers,
            String path,
            @Nullable SocketAddress remote,
            List<String> setCookies) {
        Long hash = null;
        for (HashPolicy policy : policies) {
            Long value = evaluate(policy, headers, path, remote, setCookies);
            if (value != null) {
                long old = hash == null ? 0 : Long.rotateLeft(hash, 1);
                hash = old ^ value;
            }
            if (policy.terminal() && hash != null) {
                break;
            }
        }
        return hash;
    }

    private static @Nullable Long evaluate(
            HashPolicy policy,
            HttpHeaders headers,
            String path,
            @Nullable SocketAddress remote,
            List<String> setCookies) {
        if (policy instanceof HashPolicy.Header header) {
            List<String> values = new ArrayList<>(headers.getAll(header.name()));
            if (values.isEmpty()) {
                return null;
            }
            if (header.rewrite() != null) {
                values.replaceAll(header.rewrite()::apply);
            }
            // Envoy sorts the values so their order does not change the hash.
            values.sort(null);
            return XxHash64.hash(String.join("", values));
        }
        if (policy instanceof HashPolicy.Cookie cookie) {
            String value = cookieValue(headers, cookie.name());
            if (value == null && cookie.ttl() != null && remote instanceof InetSocketAddress address) {
                value = String.format(Locale.ROOT, "%016x", XxHash64.hash(address.toString()));
                StringBuilder set = new StringBuilder(cookie.name())
                        .append("=\"")
                        .append(value)
                        .append('"');
                if (!cookie.ttl().isZero()) {
                    set.append("; Max-Age=").append(cookie.ttl().toSeconds());
                }
                if (!cookie.path().isEmpty()) {
                    set.append("; Path=").append(cookie.path());
                }
                setCookies.add(set.append("; HttpOnly").toString());
            }
            return value == null ? null : XxHash64.hash(value);
        }
        if (policy instanceof HashPolicy.SourceIp) {
            if (remote instanceof InetSocketAddress address && address.getAddress() != null) {
                return XxHash64.hash(address.getAddress().getHostAddress());
            }
            return null;
        }
        HashPolicy.QueryParameter query = (HashPolicy.QueryParameter) policy;
        List<String> values = QueryParameterMatcher.parse(path).get(query.name());
        return values == null || values.isEmpty() ? null : XxHash64.hash(values.get(0));
    }

    private static @Nullable String cookieValue(HttpHeaders headers, String name) {
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
                if (cookie.name().equals(name)) {
                    return cookie.value();
                }
            }
        }
        return null;
    }
}
