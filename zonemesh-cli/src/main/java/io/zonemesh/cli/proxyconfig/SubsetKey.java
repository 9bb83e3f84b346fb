package io.zonemesh.cli.proxyconfig;

/**
 * An Istio cluster name {@code direction|port|subset|fqdn} taken apart as Istio's
 * {@code model.ParseSubsetKey} does (a non-numeric port reads 0). A name of fewer than four
 * parts is no subset key: all of it is the host, as istioctl's {@code safelyParseSubsetKey}.
 *
 * @param subsetKey whether the name had the four parts
 */
record SubsetKey(String direction, int port, String subset, String host, boolean subsetKey) {

    static SubsetKey parse(String name) {
        String[] parts = name.split("\\|", -1);
        if (parts.length <= 3) {
            return new SubsetKey("", 0, "", name, false);
        }
        int port;
        try {
            port = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            port = 0;
        }
        // Istio keeps the hostname empty when a separator remains in the last part.
        String host = parts.length == 4 ? parts[3] : "";
        return new SubsetKey(parts[0], port, parts[2], host, true);
    }
}
