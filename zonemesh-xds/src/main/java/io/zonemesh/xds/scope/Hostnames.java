package io.zonemesh.xds.scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    /**
     * Istio's {@code host.Name.SubsetOf}: every name {@code a} matches is matched by {@code b}
     * ({@code b} is {@code *}, equal, or a wildcard whose suffix {@code a} ends with).
     */
    public static boolean subsetOf(String a, String b) {
        if (a.equals(b) || b.equals("*")) {
            return true;
        }
        if (!b.startsWith("*.")) {
            return false;
        }
        String suffix = b.substring(1);
        return a.startsWith("*") ? a.substring(1).endsWith(suffix) : a.endsWith(suffix);
    }

    /**
     * Istio's {@code host.Names.Intersection}: for each pair, the more specific name when one contains
     * the other; in the order of {@code a}, lower-cased, without repeats.
     */
    public static List<String> intersection(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>();
        for (String x : a) {
            for (String y : b) {
                String hit = subsetOf(x, y) ? x : subsetOf(y, x) ? y : null;
                if (hit != null && !out.contains(hit.toLowerCase(Locale.ROOT))) {
                    out.add(hit.toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /**
     * Istio's {@code host.NamesForNamespace}: the hosts of {@code namespace/host} entries (Gateway
     * servers, Sidecar egress) that apply to configuration in {@code namespace} ({@code *} or that
     * namespace), and every plain host.
     */
    public static List<String> namesForNamespace(List<String> hosts, String namespace) {
        List<String> out = new ArrayList<>();
        for (String h : hosts) {
            int slash = h.indexOf('/');
            if (slash < 0) {
                out.add(h);
            } else {
                String ns = h.substring(0, slash);
                if (ns.equals("*") || ns.equals(namespace)) {
                    out.add(h.substring(slash + 1));
                }
            }
        }
        return out;
    }
}
