package io.zonemesh.xds;

import io.zonemesh.common.Nullable;

/** Istio's cluster names (ARCHITECTURE.md "Names and ports"). */
public final class ClusterNames {
    private ClusterNames() {}

    /** {@code outbound|<port>|<subset>|<host>}, the subset empty for the whole service. */
    public static String outbound(int port, @Nullable String subset, String hostname) {
        return "outbound|" + port + "|" + (subset == null ? "" : subset) + "|" + hostname;
    }

    /** {@code inbound|<port>||}. */
    public static String inbound(int port) {
        return "inbound|" + port + "||";
    }
}
