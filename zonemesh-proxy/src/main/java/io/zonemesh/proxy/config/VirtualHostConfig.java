package io.zonemesh.proxy.config;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Objects;

/**
 * One Envoy {@code VirtualHost}: its domains and its routes, checked in order (first match wins).
 *
 * @param requireTls {@code require_tls} ALL or EXTERNAL_ONLY: a request that did not arrive over
 *     TLS is answered with a 301 to {@code https://} and the same host and path, before any route
 *     is looked at (every request a gateway gets is external)
 */
public record VirtualHostConfig(String name, List<String> domains, List<RouteRule> routes, boolean requireTls) {

    public VirtualHostConfig(String name, List<String> domains, List<RouteRule> routes) {
        this(name, domains, routes, false);
    }

    public VirtualHostConfig {
        Objects.requireNonNull(name, "name");
        domains = List.copyOf(domains);
        routes = List.copyOf(routes);
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("domains: [] (expected: at least one domain)");
        }
    }

    /** The first route that matches, or null. */
    public @Nullable RouteRule findRoute(String path, HttpHeaders headers) {
        for (RouteRule route : routes) {
            if (route.matches(path, headers)) {
                return route;
            }
        }
        return null;
    }
}
