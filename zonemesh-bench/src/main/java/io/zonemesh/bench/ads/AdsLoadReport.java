package io.zonemesh.bench.ads;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The result of one ADS load run, printed as a table and written as JSON.
 *
 * @param initialSyncMillis from opening the first stream to the last proxy having ACKed CDS, LDS,
 *     EDS and RDS
 * @param initialSync per proxy, from the first stream opening to its own last initial ACK
 * @param changes one entry per endpoint change, in order
 * @param changeP50Millis median (and spread) over the changes of each change's p50
 * @param heapMeshOnlyBytes control plane heap after GC with the mesh loaded and no proxy
 *     connected; -1 when the control plane ran in-process
 * @param heapWithProxiesBytes the same with every proxy connected and synced
 * @param controlPlaneCpuSeconds CPU the control plane's process used over the whole run
 */
public record AdsLoadReport(
        int clients,
        int services,
        int zones,
        int endpointsPerZone,
        int namespaces,
        long debounceMillis,
        boolean forked,
        int cores,
        String javaVersion,
        double initialSyncMillis,
        LatencySummary initialSync,
        List<Change> changes,
        Spread changeP50Millis,
        Spread changeP99Millis,
        Spread changeMaxMillis,
        long heapMeshOnlyBytes,
        long heapWithProxiesBytes,
        double controlPlaneCpuSeconds) {

    public AdsLoadReport {
        changes = List.copyOf(changes);
    }

    /**
     * One endpoint change: {@code deployment} scaled to {@code replicas}; latencies are from just
     * before the registry applied it to each proxy's ACK of the new EDS version.
     */
    public record Change(String deployment, int replicas, double applyMillis, LatencySummary ack) {}

    /** The human-readable table. */
    public void print(PrintStream out) {
        out.printf(
                Locale.ROOT,
                "ADS load: %d proxies, %d services x %d zones x %d endpoints (%d endpoints), %d namespace(s), "
                        + "debounce %d ms, control plane %s; %d cores, Java %s%n",
                clients,
                services,
                zones,
                endpointsPerZone,
                services * zones * endpointsPerZone,
                namespaces,
                debounceMillis,
                forked ? "in its own JVM" : "in-process",
                cores,
                javaVersion);
        out.printf(
                Locale.ROOT,
                "initial sync (CDS+LDS+EDS+RDS ACKed): all %d in %.0f ms; per proxy p50 %.0f ms, p99 %.0f ms%n",
                clients,
                initialSyncMillis,
                initialSync.p50Millis(),
                initialSync.p99Millis());
        out.printf(
                Locale.ROOT,
                "%-6s %-22s %8s %10s %10s %10s %10s%n",
                "change",
                "deployment",
                "replicas",
                "apply ms",
                "p50 ms",
                "p99 ms",
                "max ms");
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            out.printf(
                    Locale.ROOT,
                    "%-6d %-22s %8d %10.1f %10.1f %10.1f %10.1f%n",
                    i + 1,
                    c.deployment(),
                    c.replicas(),
                    c.applyMillis(),
                    c.ack().p50Millis(),
                    c.ack().p99Millis(),
                    c.ack().maxMillis());
        }
        out.printf(
                Locale.ROOT,
                "endpoint change -> all proxies ACKed, median (min-max) of %d changes: p50 %s ms, p99 %s ms, "
                        + "max %s ms%n",
                changes.size(),
                changeP50Millis,
                changeP99Millis,
                changeMaxMillis);
        if (heapMeshOnlyBytes >= 0) {
            out.printf(
                    Locale.ROOT,
                    "control plane heap after GC: %.1f MB with the mesh only, %.1f MB with %d proxies "
                            + "(%.1f KB per proxy); CPU %.1f s over the run%n",
                    heapMeshOnlyBytes / 1048576.0,
                    heapWithProxiesBytes / 1048576.0,
                    clients,
                    (heapWithProxiesBytes - heapMeshOnlyBytes) / 1024.0 / clients,
                    controlPlaneCpuSeconds);
        } else {
            out.println("control plane heap and CPU: not measured in-process (run without --in-process)");
        }
    }
}
