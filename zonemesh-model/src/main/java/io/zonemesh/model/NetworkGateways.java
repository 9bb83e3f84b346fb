package io.zonemesh.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mesh's network gateways indexed as istiod's {@code NetworkGateways.update}
 * (pilot/pkg/model/network.go): by network, by network and cluster, each list in
 * {@link NetworkGateway#ORDER}, and the weight scale factor {@code lcm}, the least common
 * multiple of every list's size, so that an endpoint's weight splits evenly across any list.
 * Duplicates (same network, cluster, address, port and locality) count once.
 */
public final class NetworkGateways {
    public static final NetworkGateways NONE = new NetworkGateways(List.of());

    private final List<NetworkGateway> all;
    private final Map<String, List<NetworkGateway>> byNetwork = new TreeMap<>();
    private final Map<String, List<NetworkGateway>> byNetworkAndCluster = new TreeMap<>();
    private final int lcm;

    public NetworkGateways(List<NetworkGateway> gateways) {
        List<NetworkGateway> unique = new ArrayList<>(new LinkedHashSet<>(gateways));
        unique.sort(NetworkGateway.ORDER);
        this.all = List.copyOf(unique);
        for (NetworkGateway gw : all) {
            byNetwork.computeIfAbsent(gw.network(), k -> new ArrayList<>()).add(gw);
            byNetworkAndCluster.computeIfAbsent(key(gw.network(), gw.cluster()), k -> new ArrayList<>()).add(gw);
        }
        long value = 1;
        for (List<NetworkGateway> list : byNetwork.values()) {
            value = lcm(value, list.size());
        }
        for (List<NetworkGateway> list : byNetworkAndCluster.values()) {
            value = lcm(value, list.size());
        }
        this.lcm = (int) Math.min(value, Integer.MAX_VALUE);
    }

    /** Every gateway, sorted. */
    public List<NetworkGateway> all() {
        return all;
    }

    /** istiod's {@code IsMultiNetworkEnabled}: some network has a gateway. */
    public boolean multiNetwork() {
        return !byNetwork.isEmpty();
    }

    /** istiod's {@code GetLBWeightScaleFactor}. */
    public int scaleFactor() {
        return lcm;
    }

    /**
     * istiod's {@code selectNetworkGateways}: the gateways of the network and cluster, else those of
     * the network; empty when the network has none.
     */
    public List<NetworkGateway> select(String network, String cluster) {
        List<NetworkGateway> same = byNetworkAndCluster.get(key(network, cluster));
        if (same != null) {
            return List.copyOf(same);
        }
        return List.copyOf(byNetwork.getOrDefault(network, List.of()));
    }

    private static String key(String network, String cluster) {
        return network + "\u0000" + cluster;
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkGateways other && all.equals(other.all);
    }

    @Override
    public int hashCode() {
        return all.hashCode();
    }

    @Override
    public String toString() {
        return "NetworkGateways" + all;
    }
}
