package io.zonemesh.bench.ads;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.bench.mesh.ProxyNodes;
import io.zonemesh.bench.mesh.SyntheticMesh;
import io.zonemesh.common.Clock;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.config.placement.PodPlanner;
import java.util.ArrayList;
import java.util.List;

/**
 * The ADS load harness: N simulated sidecars over real gRPC to a control plane on 127.0.0.1.
 * Measures the time to the initial sync of every proxy, then, change after change, the time from
 * one endpoint change (a Deployment scaled by one replica) to every proxy having ACKed the new
 * EDS version, and the control plane's heap after GC with and without the proxies.
 *
 * <p>{@code java -cp zonemesh-bench/target/benchmarks.jar io.zonemesh.bench.ads.AdsLoadHarness
 * [options]}; see {@link HarnessOptions#USAGE}.
 */
public final class AdsLoadHarness {
    private final HarnessOptions options;
    private final Clock clock;

    public AdsLoadHarness(HarnessOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        HarnessOptions options = HarnessOptions.parse(args);
        AdsLoadReport report = new AdsLoadHarness(options, Clock.system()).run();
        report.print(System.out);
        if (options.json() != null) {
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(options.json().toFile(), report);
            System.out.println("wrote " + options.json());
        }
    }

    /** One whole run; every wait is bounded by the options' timeout. */
    public AdsLoadReport run() throws Exception {
        List<Node> nodes = nodes();
        try (ControlPlaneHost host = options.forked()
                ? new ForkedHost(options.shape(), options.debounce(), options.serverJvmArgs(), options.timeout())
                : new InProcessHost(options.shape(), options.debounce(), clock)) {
            ControlPlaneHost.ServerStats meshOnly = host.stats();
            try (ClientFleet fleet = new ClientFleet(
                    nodes, host.xdsPort(), options.clientsPerChannel(), options.clientThreads(), clock)) {
                AckLog log = fleet.log();
                long start = clock.nanoTime();
                fleet.start();
                log.awaitAll(log::synced, options.timeout(), "the initial sync");
                long[] sync = new long[nodes.size()];
                long last = 0;
                for (int c = 0; c < sync.length; c++) {
                    sync[c] = lastInitialAck(log, c) - start;
                    last = Math.max(last, sync[c]);
                }
                ControlPlaneHost.ServerStats withProxies = host.stats();
                if (options.histogram() != null) {
                    host.writeHistogram(options.histogram());
                }
                List<AdsLoadReport.Change> changes = new ArrayList<>();
                for (int i = 0; i < options.changes(); i++) {
                    changes.add(change(host, log, i));
                }
                ControlPlaneHost.ServerStats end = host.stats();
                return report(last / 1e6, LatencySummary.ofNanos(sync), changes, meshOnly, withProxies, end);
            }
        }
    }

    /** Sidecar pods spread over the zones, planned exactly as the control plane plans them. */
    private List<Node> nodes() {
        List<PodInstance> pods = PodPlanner.plan(SyntheticMesh.bundle(options.shape()));
        return ProxyNodes.spreadOverZones(pods, options.clients()).stream()
                .map(ProxyNodes::of)
                .toList();
    }

    /**
     * Change {@code i}: the first service's Deployment in the first zone gains a replica (even
     * changes) or loses it again (odd ones), so every proxy's EDS changes and the mesh returns
     * to its initial size.
     */
    private AdsLoadReport.Change change(ControlPlaneHost host, AckLog log, int i) throws Exception {
        String deployment = SyntheticMesh.deployment(SyntheticMesh.service(0), SyntheticMesh.zone(1));
        int replicas = options.shape().endpointsPerZone() + (i % 2 == 0 ? 1 : 0);
        String[] before = new String[log.clients()];
        for (int c = 0; c < before.length; c++) {
            before[c] = log.version(c, XdsTypes.EDS);
        }
        long start = clock.nanoTime();
        long applyNanos = host.scale(deployment, replicas);
        log.awaitAll(
                c -> !before[c].equals(log.version(c, XdsTypes.EDS)),
                options.timeout(),
                "change " + (i + 1) + " (" + deployment + " to " + replicas + " replicas)");
        long[] latencies = new long[before.length];
        for (int c = 0; c < latencies.length; c++) {
            latencies[c] = log.ackedAt(c, XdsTypes.EDS) - start;
        }
        return new AdsLoadReport.Change(deployment, replicas, applyNanos / 1e6, LatencySummary.ofNanos(latencies));
    }

    private static long lastInitialAck(AckLog log, int client) {
        long last = 0;
        for (String type : new String[] {XdsTypes.CDS, XdsTypes.EDS, XdsTypes.LDS, XdsTypes.RDS}) {
            last = Math.max(last, log.ackedAt(client, type));
        }
        return last;
    }

    private AdsLoadReport report(
            double syncMillis,
            LatencySummary sync,
            List<AdsLoadReport.Change> changes,
            ControlPlaneHost.ServerStats meshOnly,
            ControlPlaneHost.ServerStats withProxies,
            ControlPlaneHost.ServerStats end) {
        double[] p50 = changes.stream().mapToDouble(c -> c.ack().p50Millis()).toArray();
        double[] p99 = changes.stream().mapToDouble(c -> c.ack().p99Millis()).toArray();
        double[] max = changes.stream().mapToDouble(c -> c.ack().maxMillis()).toArray();
        return new AdsLoadReport(
                options.clients(),
                options.shape().services(),
                options.shape().zones(),
                options.shape().endpointsPerZone(),
                options.shape().namespaces(),
                options.debounce().toMillis(),
                options.forked(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                syncMillis,
                sync,
                changes,
                Spread.of(p50),
                Spread.of(p99),
                Spread.of(max),
                meshOnly.heapAfterGcBytes(),
                withProxies.heapAfterGcBytes(),
                end.cpuNanos() < 0 ? -1 : end.cpuNanos() / 1e9);
    }
}
