package io.zonemesh.xds.locality;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.LocalityLbSetting.Distribute;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio's {@code distribute}, {@code applyLocalityWeights} (LOCALITY.md §1.6): for the first rule
 * whose {@code from} matches the proxy, each {@code to} pattern's share is spread over the groups it
 * matches in proportion to their weights, rounded up; groups no pattern matches are deleted. No
 * priorities are set.
 */
public final class LocalityDistribute {
    private LocalityDistribute() {}

    /** The outcome of the first matching rule: re-weighted listed groups and the unlisted rest. */
    public record Split(List<LocalityGroup> listed, List<LocalityGroup> unlisted) {
        public Split {
            listed = List.copyOf(listed);
            unlisted = List.copyOf(unlisted);
        }
    }

    /**
     * Istio's {@code util.LocalityMatch}: the rule's region must be {@code *} or equal; zone and
     * subzone may also be empty (any). A group without locality therefore matches only {@code *}.
     */
    public static boolean matches(Locality locality, String pattern) {
        Locality rule = Locality.parse(pattern);
        return (rule.region().equals("*") || rule.region().equals(locality.region()))
                && matchesPart(rule.zone(), locality.zone())
                && matchesPart(rule.subzone(), locality.subzone());
    }

    /** Istio's behaviour: listed groups re-weighted, unlisted ones deleted; unchanged if no {@code from} matches. */
    public static List<LocalityGroup> apply(Locality proxy, List<Distribute> distribute, List<LocalityGroup> groups) {
        Split split = split(proxy, distribute, groups);
        return split == null ? groups : LocalityGroups.compact(split.listed());
    }

    /** Applies the first rule whose {@code from} matches the proxy, or returns null when none does. */
    public static @Nullable Split split(Locality proxy, List<Distribute> distribute, List<LocalityGroup> groups) {
        for (Distribute rule : distribute) {
            if (matches(proxy, rule.from())) {
                return apply(rule, groups);
            }
        }
        LocalityReasons.cluster("distribute: no from matches the proxy's locality " + proxy + ", weights unchanged");
        return null;
    }

    private static Split apply(Distribute rule, List<LocalityGroup> groups) {
        Set<Integer> unmatched = new LinkedHashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            unmatched.add(i);
        }
        LocalityGroup[] reweighted = groups.toArray(new LocalityGroup[0]);
        List<Integer> listedIndexes = new ArrayList<>();
        for (Map.Entry<String, Integer> to : rule.to().entrySet()) {
            List<Integer> matched = new ArrayList<>();
            long total = 0;
            for (int i : unmatched) {
                if (matches(groups.get(i).locality(), to.getKey())) {
                    matched.add(i);
                    total += groups.get(i).weight();
                }
            }
            unmatched.removeAll(matched);
            for (int i : matched) {
                long weight = ceilDiv((long) groups.get(i).weight() * to.getValue(), total);
                if (weight > 0) {
                    reweighted[i] = groups.get(i).withWeight((int) Math.min(weight, Integer.MAX_VALUE));
                }
                LocalityReasons.group(
                        groups.get(i),
                        LocalityReasonTexts.distributeListed(rule, to.getKey(), to.getValue(), reweighted[i].weight()));
            }
            listedIndexes.addAll(matched);
        }
        listedIndexes.sort(null);
        List<LocalityGroup> listed = new ArrayList<>();
        for (int i : listedIndexes) {
            listed.add(reweighted[i]);
        }
        List<LocalityGroup> unlisted = new ArrayList<>();
        for (int i : unmatched) {
            LocalityReasons.group(groups.get(i), LocalityReasonTexts.distributeUnlisted(rule));
            unlisted.add(groups.get(i));
        }
        return new Split(listed, unlisted);
    }

    private static boolean matchesPart(String rule, String value) {
        return rule.isEmpty() || rule.equals("*") || rule.equals(value);
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
