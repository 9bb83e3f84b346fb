package io.zonemesh.proxy.xds;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.RouteRule;
import io.zonemesh.proxy.config.RouteTable;
import io.zonemesh.proxy.config.VirtualHostConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Validates a RouteConfiguration (from RDS or inline in a listener) into a {@link RouteTable}:
 * domains unique across virtual hosts, at most one {@code *}, wildcards only at the start or
 * end, every route valid; with {@code validate_clusters: true}, every target cluster known.
 */
final class RouteConfigParser {
    private RouteConfigParser() {}

    /**
     * @param knownClusters the clusters accepted so far, checked only when the configuration
     *     sets {@code validate_clusters: true}. Envoy's default is false for RDS and true for
     *     inline tables; zonemesh checks only on request, because its control plane may send a
     *     listener before the clusters its inline routes name.
     * @param path the field path of the configuration inside its resource
     */
    static @Nullable RouteTable parse(
            RouteConfiguration config, Set<String> knownClusters, ValidationErrors errors, String path) {
        int before = errors.count();
        if (config.hasVhds()) {
            errors.add(path + "vhds", "set", "unset (not supported by zonemesh-proxy)");
        }
        if (config.getRequestHeadersToAddCount()
                        + config.getRequestHeadersToRemoveCount()
                        + config.getResponseHeadersToAddCount()
                        + config.getResponseHeadersToRemoveCount()
                > 0) {
            errors.add(path + "headers_to_add/remove", "header mutations", "none (not supported by zonemesh-proxy)");
        }
        boolean validateClusters =
                config.hasValidateClusters() && config.getValidateClusters().getValue();
        Set<String> domains = new HashSet<>();
        List<VirtualHostConfig> hosts = new ArrayList<>();
        for (int i = 0; i < config.getVirtualHostsCount(); i++) {
            VirtualHostConfig host = virtualHost(
                    config.getVirtualHosts(i),
                    domains,
                    validateClusters,
                    knownClusters,
                    errors,
                    path + "virtual_hosts[" + i + "]");
            if (host != null) {
                hosts.add(host);
            }
        }
        if (errors.count() > before) {
            return null;
        }
        return new RouteTable(config.getName(), hosts, config.getIgnorePortInHostMatching());
    }

    private static @Nullable VirtualHostConfig virtualHost(
            VirtualHost proto,
            Set<String> seenDomains,
            boolean validateClusters,
            Set<String> knownClusters,
            ValidationErrors errors,
            String path) {
        int before = errors.count();
        if (proto.getName().isEmpty()) {
            errors.add(path + ".name", "\"\"", "non-empty");
        }
        if (proto.getDomainsCount() == 0) {
            errors.add(path + ".domains", "[]", "at least one domain");
        }
        for (int i = 0; i < proto.getDomainsCount(); i++) {
            String domain = proto.getDomains(i);
            String field = path + ".domains[" + i + "]";
            int stars = domain.length() - domain.replace("*", "").length();
            boolean wildcardOk = stars == 0
                    || domain.equals("*")
                    || (stars == 1 && (domain.startsWith("*") || domain.endsWith("*")));
            if (domain.isEmpty() || !wildcardOk) {
                errors.add(field, ValidationErrors.quote(domain), "a domain with at most one * at its start or end");
            } else if (!seenDomains.add(domain.toLowerCase(Locale.ROOT))) {
                errors.add(field, ValidationErrors.quote(domain), "unique across the virtual hosts");
            }
        }
        if (proto.getRequestHeadersToAddCount()
                        + proto.getRequestHeadersToRemoveCount()
                        + proto.getResponseHeadersToAddCount()
                        + proto.getResponseHeadersToRemoveCount()
                > 0) {
            errors.add(path, "header mutations", "none (not supported by zonemesh-proxy)");
        }
        if (proto.hasMatcher()) {
            errors.add(path + ".matcher", "set", "routes (the matcher tree is not supported by zonemesh-proxy)");
        }
        List<RouteRule> routes = new ArrayList<>();
        for (int i = 0; i < proto.getRoutesCount(); i++) {
            String routePath = path + ".routes[" + i + "]";
            RouteRule route = RouteParser.parse(proto.getRoutes(i), errors, routePath);
            if (route == null) {
                continue;
            }
            if (validateClusters && route.action() != null) {
                for (String cluster : route.action().clusters().clusterNames()) {
                    if (!knownClusters.contains(cluster)) {
                        errors.add(
                                routePath + ".route",
                                ValidationErrors.quote(cluster),
                                "a known cluster (validate_clusters is true)");
                    }
                }
            }
            routes.add(route);
        }
        if (errors.count() > before) {
            return null;
        }
        boolean requireTls = switch (proto.getRequireTls()) {
            case ALL, EXTERNAL_ONLY -> true;
            default -> false;
        };
        return new VirtualHostConfig(proto.getName(), proto.getDomainsList(), routes, requireTls);
    }
}
