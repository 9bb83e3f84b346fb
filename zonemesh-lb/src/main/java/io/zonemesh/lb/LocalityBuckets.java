package io.zonemesh.lb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Hosts grouped by whole locality in Envoy's order ({@code PriorityStateManager::updateClusterPrioritySet},
 * {@code upstream_impl.cc}): the proxy's own locality first when it has hosts
 * ({@code hasLocalLocality}), then the others in {@code LocalityLess} order (region, zone,
 * sub-zone). The healthy view keeps the same buckets, possibly empty. Immutable.
 *
 * @param localities the bucket keys ({@code region/zone/subzone}) in order
 * @param all every host per bucket
 * @param healthy the healthy hosts per bucket, same indexes
 * @param hasLocalLocality bucket 0 is the proxy's locality
 */
record LocalityBuckets<T>(List<String> localities, List<List<T>> all, List<List<T>> healthy, boolean hasLocalLocality) {

    /** Envoy's {@code LocalityLess}: compares region, then zone, then sub-zone. */
    static final Comparator<String> LOCALITY_LESS = Comparator.comparing((String l) -> part(l, 0))
            .thenComparing(l -> part(l, 1))
            .thenComparing(l -> part(l, 2));

    static <T> LocalityBuckets<T> of(
            List<T> hosts,
            Function<T, String> locality,
            java.util.function.Predicate<T> healthy,
            String localLocality) {
        Map<String, List<T>> byLocality = new LinkedHashMap<>();
        for (T host : hosts) {
            byLocality
                    .computeIfAbsent(locality.apply(host), k -> new ArrayList<>())
                    .add(host);
        }
        List<String> keys = new ArrayList<>(byLocality.keySet());
        boolean hasLocal = keys.remove(localLocality);
        keys.sort(LOCALITY_LESS);
        if (hasLocal) {
            keys.add(0, localLocality);
        }
        List<List<T>> all = new ArrayList<>(keys.size());
        List<List<T>> healthyPerLocality = new ArrayList<>(keys.size());
        for (String key : keys) {
            List<T> members = Objects.requireNonNull(byLocality.get(key), "keys come from the map");
            all.add(List.copyOf(members));
            healthyPerLocality.add(members.stream().filter(healthy).toList());
        }
        return new LocalityBuckets<>(List.copyOf(keys), List.copyOf(all), List.copyOf(healthyPerLocality), hasLocal);
    }

    int size() {
        return localities.size();
    }

    private static String part(String locality, int index) {
        String[] parts = locality.split("/", 3);
        return index < parts.length ? parts[index] : "";
    }
}
