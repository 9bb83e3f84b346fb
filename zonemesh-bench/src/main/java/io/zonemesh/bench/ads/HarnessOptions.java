package io.zonemesh.bench.ads;

import io.zonemesh.bench.mesh.MeshShape;
import io.zonemesh.common.Nullable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Settings of one ADS load run. Defaults are the issue's: 1,000 proxies, 1,000 services × 3 zones ×
 * 10 endpoints, Istio's 100 ms debounce, the control plane in its own JVM.
 *
 * @param changes endpoint changes to time, one after another
 * @param clientsPerChannel ADS streams sharing one HTTP/2 connection
 * @param clientThreads event-loop threads of all simulated proxies together
 * @param timeout longest wait for one phase (initial sync, one change)
 * @param forked whether the control plane runs in a child JVM (its heap and CPU measured alone)
 * @param serverJvmArgs options of the child JVM
 * @param json where to write the report as JSON, or null
 * @param histogram where to write the control plane's class histogram once every proxy is
 *     synced (forked control plane only), or null
 */
public record HarnessOptions(
        int clients,
        MeshShape shape,
        int changes,
        int clientsPerChannel,
        int clientThreads,
        Duration debounce,
        Duration timeout,
        boolean forked,
        List<String> serverJvmArgs,
        @Nullable Path json,
        @Nullable Path histogram) {

    public static final String USAGE = "options: --clients N (1000) --services N (1000) --zones N (3) "
            + "--endpoints N per zone (10) --namespaces N (1) --changes N (5) --clients-per-channel N (100) "
            + "--client-threads N (2) --debounce-ms N (100) --timeout-s N (300) --in-process "
            + "--server-jvm \"ARGS\" (-Xms2g -Xmx4g) --json FILE --histogram FILE";

    public HarnessOptions {
        positive("clients", clients);
        positive("changes", changes);
        positive("clientsPerChannel", clientsPerChannel);
        positive("clientThreads", clientThreads);
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("debounce: " + debounce + " (expected: >= 0)");
        }
        if (histogram != null && !forked) {
            throw new IllegalArgumentException("histogram: " + histogram + " (expected: a forked control plane; "
                    + "in-process the clients would be counted too)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        serverJvmArgs = List.copyOf(serverJvmArgs);
    }

    /** The defaults. */
    public static HarnessOptions defaults() {
        return new HarnessOptions(
                1000,
                MeshShape.REFERENCE,
                5,
                100,
                2,
                Duration.ofMillis(100),
                Duration.ofMinutes(5),
                true,
                List.of("-Xms2g", "-Xmx4g"),
                null,
                null);
    }

    /** The defaults overridden by command-line {@code args} (see {@link #USAGE}). */
    public static HarnessOptions parse(String[] args) {
        HarnessOptions o = defaults();
        int services = o.shape.services();
        int zones = o.shape.zones();
        int endpoints = o.shape.endpointsPerZone();
        int namespaces = o.shape.namespaces();
        int clients = o.clients;
        int changes = o.changes;
        int perChannel = o.clientsPerChannel;
        int threads = o.clientThreads;
        Duration debounce = o.debounce;
        Duration timeout = o.timeout;
        boolean forked = o.forked;
        List<String> jvm = o.serverJvmArgs;
        Path json = null;
        Path histogram = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--in-process")) {
                forked = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + ": missing value (" + USAGE + ")");
            }
            String value = args[++i];
            switch (flag) {
                case "--clients" -> clients = Integer.parseInt(value);
                case "--services" -> services = Integer.parseInt(value);
                case "--zones" -> zones = Integer.parseInt(value);
                case "--endpoints" -> endpoints = Integer.parseInt(value);
                case "--namespaces" -> namespaces = Integer.parseInt(value);
                case "--changes" -> changes = Integer.parseInt(value);
                case "--clients-per-channel" -> perChannel = Integer.parseInt(value);
                case "--client-threads" -> threads = Integer.parseInt(value);
                case "--debounce-ms" -> debounce = Duration.ofMillis(Long.parseLong(value));
                case "--timeout-s" -> timeout = Duration.ofSeconds(Long.parseLong(value));
                case "--server-jvm" ->
                    jvm = value.isBlank()
                            ? List.of()
                            : Arrays.asList(value.trim().split("\\s+"));
                case "--json" -> json = Path.of(value);
                case "--histogram" -> histogram = Path.of(value);
                default -> throw new IllegalArgumentException(flag + ": unknown option (" + USAGE + ")");
            }
        }
        return new HarnessOptions(
                clients,
                new MeshShape(services, zones, endpoints, namespaces),
                changes,
                perChannel,
                threads,
                debounce,
                timeout,
                forked,
                jvm,
                json,
                histogram);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
        }
    }
}
