package io.zonemesh.bench.ads;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares equal subscription lists between simulated proxies: a thousand proxies of one group
 * subscribe to the same thousand names, which the harness keeps once, not a thousand times.
 */
final class NameLists {
    private final ConcurrentHashMap<List<String>, List<String>> lists = new ConcurrentHashMap<>();

    List<String> canonical(List<String> names) {
        List<String> existing = lists.putIfAbsent(names, names);
        return existing != null ? existing : names;
    }
}
