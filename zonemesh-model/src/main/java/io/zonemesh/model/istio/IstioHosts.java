package io.zonemesh.model.istio;

import java.util.List;
import java.util.Objects;

/**
 * Host names as Istio resources write them ({@code host}, {@code hosts[]}) and the fully
 * qualified names services are registered under.
 *
 * <p>Expansion follows Istio's {@code ResolveShortnameToFQDN} (pkg/config/model.go) for single
 * labels: {@code helloworld} written in namespace {@code sample} is
 * {@code helloworld.sample.svc.cluster.local}. zonemesh also expands {@code name.namespace}, the
 * second Kubernetes DNS search-path form, to {@code name.namespace.svc.cluster.local}; Istio
 * treats such a host as already qualified. Because a two-label name may equally be a real
 * domain ({@code httpbin.org} in a ServiceEntry), callers that match against registered hosts
 * should try the host as written before its expansion ({@link #candidates}).
 */
public final class IstioHosts {
    /** Kubernetes' default cluster domain, Istio's {@code meshConfig.domainSuffix}. */
    public static final String DEFAULT_DOMAIN_SUFFIX = "cluster.local";

    private IstioHosts() {}

    /** {@link #resolve(String, String, String)} with the default {@code cluster.local} suffix. */
    public static String resolve(String host, String namespace) {
        return resolve(host, namespace, DEFAULT_DOMAIN_SUFFIX);
    }

    /**
     * The fully qualified form of {@code host} written in a resource of {@code namespace}.
     * Wildcards ({@code *}, {@code *.example.com}), IP addresses and names with two or more dots
     * are returned unchanged.
     */
    public static String resolve(String host, String namespace, String domainSuffix) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(domainSuffix, "domainSuffix");
        if (host.isEmpty() || host.startsWith("*") || isIpAddress(host)) {
            return host;
        }
        int dots = countDots(host);
        if (dots == 0) {
            return namespace.isEmpty() ? host : host + "." + namespace + ".svc." + domainSuffix;
        }
        if (dots == 1 && !host.endsWith(".")) {
            return host + ".svc." + domainSuffix;
        }
        return host;
    }

    /**
     * The names {@code host} may stand for, most specific first: the host as written when it
     * already contains a dot (a ServiceEntry's {@code httpbin.org}), then its expansion.
     */
    public static List<String> candidates(String host, String namespace, String domainSuffix) {
        String resolved = resolve(host, namespace, domainSuffix);
        if (resolved.equals(host) || !host.contains(".")) {
            return List.of(resolved);
        }
        return List.of(host, resolved);
    }

    /**
     * Whether {@code pattern} (a host as Istio writes it, possibly {@code *} or
     * {@code *.suffix}) matches the concrete {@code host}, as Istio's {@code host.Name.Matches}.
     */
    public static boolean matches(String pattern, String host) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith("*.")) {
            return host.endsWith(pattern.substring(1));
        }
        return pattern.equals(host);
    }

    /** The Kubernetes Service FQDN {@code name.namespace.svc.<suffix>}. */
    public static String serviceHost(String name, String namespace, String domainSuffix) {
        return name + "." + namespace + ".svc." + domainSuffix;
    }

    private static int countDots(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.') {
                n++;
            }
        }
        return n;
    }

    /** IPv4 dotted quad or anything with a colon (IPv6); no DNS lookup is ever made. */
    static boolean isIpAddress(String s) {
        if (s.indexOf(':') >= 0) {
            return true;
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
