package io.zonemesh.lb;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Round-robin positions by host source, kept for the life of the load balancer. Every position
 * starts at one random seed drawn at creation, as Envoy's {@code seed_}, so proxies that start
 * together do not all send their first request to the same host.
 */
final class Cursors {
    private final ConcurrentHashMap<String, AtomicLong> positions = new ConcurrentHashMap<>();
    private final long seed;

    Cursors(long seed) {
        this.seed = seed;
    }

    AtomicLong get(String sourceKey) {
        return positions.computeIfAbsent(sourceKey, k -> new AtomicLong(seed));
    }
}
