package io.zonemesh.proxy.config;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Objects;

/** One Envoy {@code VirtualHost}: its domains and its routes, checked in order (first match wins). */
public record VirtualHostConfig(String name, List<String> domains, List<RouteRule> routes) {

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
