package io.zonemesh.xds;

import io.zonemesh.common.Nullable;

/** Istio's cluster names (ARCHITECTURE.md "Names and ports"). */
public final class ClusterNames {
    private ClusterNames() {}

    /** {@code outbound|<port>|<subset>|<host>}, the subset empty for the whole service. */
    public static String outbound(int port, @Nullable String subset, String hostname) {
        return "outbound|" + port + "|" + (subset == null ? "" : subset) + "|" + hostname;
    }

    /**
     * istiod's {@code BuildDNSSrvSubsetKey} (pilot/pkg/model/service.go):
     * {@code outbound_.<port>_.<subset>_.<host>}, an empty subset giving {@code outbound_.<port>_._.<host>}.
     * It is both the mTLS SNI a client sends and the name of an east-west gateway's cluster.
     */
    public static String dnsSrvSubsetKey(int port, @Nullable String subset, String hostname) {
        return "outbound_." + port + "_." + (subset == null ? "" : subset) + "_." + hostname;
    }

    /** istiod's {@code IsDNSSrvSubsetKey}: the name starts with {@code outbound_.}. */
    public static boolean isDnsSrvSubsetKey(String name) {
        return name.startsWith("outbound_.");
    }

    /** {@code inbound|<port>||}. */
    public static String inbound(int port) {
        return "inbound|" + port + "||";
    }
}
