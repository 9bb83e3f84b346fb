package io.zonemesh.config.parse;

import io.zonemesh.common.Nullable;

/** Istio's {@code ValidateNamespaceSlashWildcardHostname} for Sidecar egress and Gateway hosts. */
final class HostSyntax {
    private HostSyntax() {}

    /**
     * {@code namespace/dnsName}: the namespace {@code *}, {@code .}, a namespace name, and for
     * sidecars also {@code ~}; the name {@code *} or a fully qualified (possibly wildcard) name.
     * Gateways also accept a plain host without namespace.
     */
    static @Nullable String namespaceSlashHost(String host, boolean gateway) {
        int slash = host.indexOf('/');
        if (slash < 0) {
            return gateway
                    ? hostPart(host, host, true)
                    : '"' + host + "\" (expected: namespace/dnsName, e.g. "
                            + "./*, istio-system/* or */reviews.prod.svc.cluster.local)";
        }
        String ns = host.substring(0, slash);
        String name = host.substring(slash + 1);
        if (ns.isEmpty() || name.isEmpty()) {
            return '"' + host + "\" (expected: namespace/dnsName with both parts non-empty)";
        }
        boolean special = ns.equals("*") || ns.equals(".") || (!gateway && ns.equals("~"));
        if (!special && Names.dns1123Label(ns) != null) {
            return '"' + host + "\" (expected: the namespace part to be *, ." + (gateway ? "" : ", ~")
                    + " or a namespace name)";
        }
        return hostPart(host, name, gateway);
    }

    private static @Nullable String hostPart(String full, String name, boolean gateway) {
        if (name.equals("*")) {
            return null;
        }
        if (gateway && Names.isIp(name)) {
            return null;
        }
        if (!name.contains(".")) {
            return '"' + full + "\" (expected: a fully qualified name such as reviews.prod.svc.cluster.local; short "
                    + "names are not allowed here)";
        }
        if (name.contains("*") && !name.startsWith("*.")) {
            return '"' + full + "\" (expected: a wildcard only as a whole first label, e.g. *.example.com)";
        }
        String problem = Names.wildcardDomain(name);
        return problem == null ? null : '"' + full + "\" " + problem.substring(problem.indexOf('('));
    }
}
