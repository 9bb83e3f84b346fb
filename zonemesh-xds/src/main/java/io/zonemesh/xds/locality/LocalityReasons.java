package io.zonemesh.xds.locality;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Why each endpoint got its priority and weight, recorded by the locality algorithms themselves
 * while {@code zonemesh x explain} re-runs the generator for one proxy and cluster. Outside
 * {@link #record} every hook is a no-op, so the xDS path pays one thread-local read per group.
 *
 * <p>A thread-local rather than a parameter keeps the algorithms' signatures (shared with other
 * work) unchanged; the recording is confined to the calling thread and always cleared.
 */
public final class LocalityReasons {
    private static final ThreadLocal<@Nullable Recording> ACTIVE = new ThreadLocal<>();

    private LocalityReasons() {}

    /** The reasons one run recorded: cluster-wide ones, and per endpoint ({@link #key}) in order. */
    public static final class Recording {
        private final List<String> cluster = new ArrayList<>();
        private final Map<String, List<String>> endpoints = new LinkedHashMap<>();

        public List<String> cluster() {
            return List.copyOf(cluster);
        }

        /** The reasons recorded for one endpoint, oldest first; empty when none. */
        public List<String> endpoint(String key) {
            return List.copyOf(endpoints.getOrDefault(key, List.of()));
        }
    }

    /** A value computed with recording on, and what was recorded. */
    public record Recorded<T>(T value, Recording reasons) {}

    /** Runs {@code work} with a fresh recording active on this thread. */
    public static <T> Recorded<T> record(Supplier<T> work) {
        Recording previous = ACTIVE.get();
        Recording recording = new Recording();
        ACTIVE.set(recording);
        try {
            return new Recorded<>(work.get(), recording);
        } finally {
            if (previous == null) {
                ACTIVE.remove();
            } else {
                ACTIVE.set(previous);
            }
        }
    }

    /** How an endpoint is keyed: {@code address:port}, as the EDS and the explain table show it. */
    public static String key(String address, int port) {
        return address + ":" + port;
    }

    static boolean active() {
        return ACTIVE.get() != null;
    }

    static void cluster(String reason) {
        Recording r = ACTIVE.get();
        if (r != null) {
            r.cluster.add(reason);
        }
    }

    static void endpoint(Endpoint e, String reason) {
        Recording r = ACTIVE.get();
        if (r != null) {
            r.endpoints
                    .computeIfAbsent(key(e.address(), e.port()), k -> new ArrayList<>())
                    .add(reason);
        }
    }

    static void group(LocalityGroup g, String reason) {
        if (active()) {
            g.endpoints().forEach(e -> endpoint(e, reason));
        }
    }
}
