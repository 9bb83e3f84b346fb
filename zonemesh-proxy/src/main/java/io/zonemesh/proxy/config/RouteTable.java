package io.zonemesh.proxy.config;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonemesh.common.Nullable;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A RouteConfiguration ready for matching, with Envoy's virtual-host selection
 * ({@code RouteMatcher::findVirtualHost}): the authority is lower-cased, then looked up as an
 * exact domain, then against suffix wildcards ({@code *.example.com}, {@code *:5000}) longest
 * first, then prefix wildcards ({@code example.*}) longest first, then the {@code *} host. A
 * wildcard never matches the empty string: {@code *.foo.com} does not match {@code .foo.com}.
 * Immutable and safe to share across event loops.
 */
public final class RouteTable {
    private final String name;
    private final List<VirtualHostConfig> virtualHosts;
    private final Map<String, VirtualHostConfig> exact = new HashMap<>();
    /** Suffix (without the leading {@code *}) by its length, longest first. */
    private final NavigableMap<Integer, Map<String, VirtualHostConfig>> suffixes =
            new TreeMap<>(Collections.reverseOrder());
    /** Prefix (without the trailing {@code *}) by its length, longest first. */
    private final NavigableMap<Integer, Map<String, VirtualHostConfig>> prefixes =
            new TreeMap<>(Collections.reverseOrder());

    private final @Nullable VirtualHostConfig defaultHost;
    private final boolean ignorePortInHostMatching;

    /**
     * @throws IllegalArgumentException when a domain repeats or more than one {@code *} host
     *     exists; Envoy rejects such a RouteConfiguration ("Only unique values for domains are
     *     permitted")
     */
    public RouteTable(String name, List<VirtualHostConfig> virtualHosts) {
        this(name, virtualHosts, false);
    }

    /**
     * @param ignorePortInHostMatching {@code ignore_port_in_host_matching}: the authority's port is
     *     dropped before domains are compared (gateway route configurations)
     */
    public RouteTable(String name, List<VirtualHostConfig> virtualHosts, boolean ignorePortInHostMatching) {
        this.ignorePortInHostMatching = ignorePortInHostMatching;
        this.name = Objects.requireNonNull(name, "name");
        this.virtualHosts = List.copyOf(virtualHosts);
        VirtualHostConfig wildcard = null;
        for (VirtualHostConfig host : this.virtualHosts) {
            for (String domain : host.domains()) {
                String lower = domain.toLowerCase(Locale.ROOT);
                boolean added;
                if (lower.equals("*")) {
                    added = wildcard == null;
                    wildcard = added ? host : wildcard;
                } else if (lower.startsWith("*")) {
                    added = suffixes.computeIfAbsent(lower.length() - 1, k -> new HashMap<>())
                                    .putIfAbsent(lower.substring(1), host)
                            == null;
                } else if (lower.endsWith("*")) {
                    added = prefixes.computeIfAbsent(lower.length() - 1, k -> new HashMap<>())
                                    .putIfAbsent(lower.substring(0, lower.length() - 1), host)
                            == null;
                } else {
                    added = exact.putIfAbsent(lower, host) == null;
                }
                if (!added) {
                    throw new IllegalArgumentException("domains: \"" + domain + "\" (expected: unique across the "
                            + "virtual hosts of route " + name + ")");
                }
            }
        }
        this.defaultHost = wildcard;
    }

    public String name() {
        return name;
    }

    public List<VirtualHostConfig> virtualHosts() {
        return virtualHosts;
    }

    /** The virtual host for an authority ({@code host[:port]}), or null when none matches. */
    public @Nullable VirtualHostConfig findVirtualHost(String authority) {
        String host = authority.toLowerCase(Locale.ROOT);
        if (ignorePortInHostMatching) {
            int colon = host.lastIndexOf(':');
            if (colon > host.lastIndexOf(']')) {
                host = host.substring(0, colon);
            }
        }
        VirtualHostConfig match = exact.get(host);
        if (match != null) {
            return match;
        }
        match = findWildcard(host, suffixes, true);
        if (match != null) {
            return match;
        }
        match = findWildcard(host, prefixes, false);
        return match != null ? match : defaultHost;
    }

    /** The route for a request, or null when no virtual host or no route matches (Envoy: NR). */
    public @Nullable RouteRule findRoute(String authority, String path, HttpHeaders headers) {
        VirtualHostConfig host = findVirtualHost(authority);
        return host == null ? null : host.findRoute(path, headers);
    }

    private static @Nullable VirtualHostConfig findWildcard(
            String host, NavigableMap<Integer, Map<String, VirtualHostConfig>> byLength, boolean suffix) {
        for (Map.Entry<Integer, Map<String, VirtualHostConfig>> entry : byLength.entrySet()) {
            int length = entry.getKey();
            // ">=": the wildcard must stand for at least one character.
            if (length >= host.length()) {
                continue;
            }
            String key = suffix ? host.substring(host.length() - length) : host.substring(0, length);
            VirtualHostConfig match = entry.getValue().get(key);
            if (match != null) {
                return match;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "RouteTable{" + name + ", " + virtualHosts.size() + " virtual hosts}";
    }
}
