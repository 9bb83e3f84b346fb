package io.zonemesh.xds.scope;

import java.util.List;

/** Istio's host-name rules for configuration that names services: short names, wildcards, exportTo. */
public final class Hostnames {
    private Hostnames() {}

    /**
     * Istio's {@code ResolveShortnameToFQDN}: a name without a dot (other than {@code *}) is a
     * Kubernetes short name in the resource's namespace, {@code <name>.<namespace>.svc.<suffix>};
     * anything else is already qualified.
     */
    public static String resolve(String host, String namespace, String domainSuffix) {
        if (host.equals("*") || host.contains(".") || host.contains(":")) {
            return host;
        }
        return host + "." + namespace + ".svc." + domainSuffix;
    }

    /** Whether a (resolved) configuration host matches a service host name: equal, {@code *}, or {@code *.suffix}. */
    public static boolean matches(String pattern, String hostname) {
        if (pattern.equals(hostname) || pattern.equals("*")) {
            return true;
        }
        return pattern.startsWith("*.") && hostname.endsWith(pattern.substring(1));
    }

    /**
     * How specific a matching pattern is, larger is more specific: an exact name beats every
     * wildcard, a longer wildcard beats a shorter one (Istio's {@code MostSpecificHostMatch}).
     */
    public static int specificity(String pattern) {
        return pattern.startsWith("*") ? pattern.length() : Integer.MAX_VALUE;
    }

    /**
     * Istio's {@code exportTo}: empty or {@code *} is everywhere, {@code .} the owner's own
     * namespace, {@code ~} nowhere, anything else a namespace name.
     */
    public static boolean exportedTo(List<String> exportTo, String ownerNamespace, String namespace) {
        if (exportTo.isEmpty()) {
            return true;
        }
        for (String e : exportTo) {
            if (e.equals("*") || e.equals(namespace) || (e.equals(".") && ownerNamespace.equals(namespace))) {
                return true;
            }
        }
        return false;
    }
}
