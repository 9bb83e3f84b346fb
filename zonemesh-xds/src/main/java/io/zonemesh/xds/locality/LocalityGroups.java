package io.zonemesh.xds.locality;

import io.zonemesh.model.Endpoint;
import io.zonemesh.model.Locality;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/** Grouping endpoints by locality and renumbering priorities, shared by every locality algorithm. */
public final class LocalityGroups {
    /** Istio sorts groups by locality string; region, zone, subzone in turn gives the same order. */
    public static final Comparator<Locality> LOCALITY_ORDER =
            Comparator.comparing(Locality::region).thenComparing(Locality::zone).thenComparing(Locality::subzone);

    static final Comparator<Endpoint> ENDPOINT_ORDER = Comparator.comparing(Endpoint::address)
            .thenComparingInt(Endpoint::port)
            .thenComparing(Endpoint::workloadName);

    private static final Comparator<LocalityGroup> GROUP_ORDER =
            Comparator.comparingInt(LocalityGroup::priority).thenComparing(LocalityGroup::locality, LOCALITY_ORDER);

    private LocalityGroups() {}

    /**
     * One group per locality, all at priority 0, weight = sum of endpoint weights, as
     * Istio's endpoint builder does before it applies the locality settings (LOCALITY.md §1.2).
     */
    public static List<LocalityGroup> of(List<Endpoint> endpoints) {
        Map<Locality, List<Endpoint>> byLocality = new TreeMap<>(LOCALITY_ORDER);
        for (Endpoint e : endpoints) {
            byLocality.computeIfAbsent(e.locality(), k -> new ArrayList<>()).add(e);
        }
        List<LocalityGroup> out = new ArrayList<>();
        byLocality.forEach((locality, members) -> {
            members.sort(ENDPOINT_ORDER);
            out.add(LocalityGroup.of(locality, members));
        });
        return List.copyOf(out);
    }

    /**
     * Renumbers the distinct priorities to 0..N-1 in their order, without gaps, as Envoy and
     * grpc-java require contiguous priorities (grpc NACKs sparse ones, LOCALITY.md §5.3). The
     * result is sorted by priority, then locality.
     */
    public static List<LocalityGroup> compact(List<LocalityGroup> groups) {
        TreeSet<Integer> distinct = new TreeSet<>();
        for (LocalityGroup g : groups) {
            distinct.add(g.priority());
        }
        Map<Integer, Integer> renumbered = new TreeMap<>();
        for (int p : distinct) {
            renumbered.put(p, renumbered.size());
        }
        List<LocalityGroup> out = new ArrayList<>(groups.size());
        for (LocalityGroup g : groups) {
            out.add(g.withPriority(Objects.requireNonNull(renumbered.get(g.priority()))));
        }
        out.sort(GROUP_ORDER);
        return List.copyOf(out);
    }
}
