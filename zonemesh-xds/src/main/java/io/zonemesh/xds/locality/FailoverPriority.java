package io.zonemesh.xds.locality;

import io.zonemesh.model.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio's {@code failoverPriority} (LOCALITY.md §1.5): endpoints ranked by how many of an
 * ordered list of labels they share with the proxy, each locality group split per rank.
 *
 * <p>zonemesh implements the Istio 1.31+ network rule (PR #60829): when the first entry is exactly
 * {@code topology.istio.io/network}, a network mismatch does not end the comparison; the other
 * labels still rank the endpoint and the whole off-network ranking follows the on-network one
 * (priorities N..2N-1 instead of a single lowest priority N).
 */
public final class FailoverPriority {
    private FailoverPriority() {}

    /**
     * The label names of a {@code failoverPriority} list, without {@code =value} overrides, in order.
     */
    public static List<String> labelKeys(List<String> failoverPriority) {
        return parse(failoverPriority, new HashMap<>());
    }

    /**
     * The priority of one endpoint, before compaction.
     *
     * @param proxyLabels the proxy's labels with {@link TopologyLabels}
     * @param endpointLabels the endpoint's labels with {@link TopologyLabels}
     */
    public static int priority(
            Map<String, String> proxyLabels, List<String> failoverPriority, Map<String, String> endpointLabels) {
        Map<String, String> overrides = new HashMap<>();
        List<String> keys = parse(failoverPriority, overrides);
        return priority(proxyLabels, keys, overrides, networkPreferred(failoverPriority), endpointLabels);
    }

    /**
     * Splits every group by endpoint priority (same locality, one group per distinct priority,
     * weight = sum of its endpoints' weights) and compacts all priorities.
     */
    public static List<LocalityGroup> apply(
            Map<String, String> proxyLabels, List<String> failoverPriority, List<LocalityGroup> groups) {
        Map<String, String> overrides = new HashMap<>();
        List<String> keys = parse(failoverPriority, overrides);
        boolean networkPreferred = networkPreferred(failoverPriority);
        List<LocalityGroup> out = new ArrayList<>();
        for (LocalityGroup g : groups) {
            Map<Integer, List<Endpoint>> byPriority = new TreeMap<>();
            for (Endpoint e : g.endpoints()) {
                int p = priority(proxyLabels, keys, overrides, networkPreferred, TopologyLabels.of(e));
                if (LocalityReasons.active()) {
                    LocalityReasons.endpoint(
                            e,
                            LocalityReasonTexts.failoverPriority(
                                    proxyLabels, failoverPriority, TopologyLabels.of(e), p));
                }
                byPriority.computeIfAbsent(p, k -> new ArrayList<>()).add(e);
            }
            byPriority.forEach((p, members) ->
                    out.add(LocalityGroup.of(g.locality(), members).withPriority(p)));
        }
        return LocalityGroups.compact(out);
    }

    /**
     * Whether the network-preferred rule applies: Istio tests the raw first entry, so
     * {@code topology.istio.io/network=net2} (a pinned network) is an ordinary label whose
     * mismatch gives the lowest priority.
     */
    private static boolean networkPreferred(List<String> failoverPriority) {
        return !failoverPriority.isEmpty() && failoverPriority.get(0).equals(TopologyLabels.NETWORK);
    }

    private static int priority(
            Map<String, String> proxyLabels,
            List<String> keys,
            Map<String, String> overrides,
            boolean includesNetwork,
            Map<String, String> endpointLabels) {
        int n = keys.size();
        int priority = 0;
        int adjust = 0;
        for (int j = 0; j < n; j++) {
            String key = keys.get(j);
            String want = overrides.containsKey(key) ? overrides.get(key) : proxyLabels.getOrDefault(key, "");
            if (!want.equals(endpointLabels.getOrDefault(key, ""))) {
                if (j == 0 && includesNetwork) {
                    adjust = n;
                    continue;
                }
                priority = n - j;
                break;
            }
        }
        return priority + adjust;
    }

    /**
     * Keys in order; {@code key=value} puts an override into {@code overrides}, as Istio's
     * {@code priorityLabelOverrides} (split on {@code =}, an override only with exactly two parts).
     */
    private static List<String> parse(List<String> failoverPriority, Map<String, String> overrides) {
        List<String> keys = new ArrayList<>(failoverPriority.size());
        for (String entry : failoverPriority) {
            String[] parts = entry.split("=", -1);
            keys.add(parts[0]);
            if (parts.length == 2) {
                overrides.put(parts[0], parts[1]);
            }
        }
        return List.copyOf(keys);
    }
}
