package io.zonemesh.cli.demo;

import io.zonemesh.cli.echo.EchoServer;
import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.mesh.MultiClusterMesh;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.Locality;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * examples/multicluster: two clusters on two networks in two regions, each with its own control plane
 * and an intermediate of one root, discovering each other through remote secrets; helloworld v1 in
 * cluster1, v2 in cluster2, sleep in cluster1 calling it. (a) no DestinationRule: calls split over
 * both, v2's through cluster2's east-west gateway over mutual TLS; (b) locality failover with outlier
 * detection: all v1; (c) v1 stopped: all v2 through the gateway, at most one failed call; (d)
 * cluster2's gateway stopped and v1 back: v1 again. Every phase checks what it expects; a failed check
 * is in {@link DemoReport#failures()}.
 */
public final class MultiClusterDemo {
    static final String NAMESPACE = "sample";
    static final String CLIENT = "sleep";
    static final URI URL = URI.create("http://helloworld.sample:5000/hello");
    static final List<String> REGIONS = List.of("region1", "region2");
    static final List<String> CLUSTER1 = List.of(
            "cluster1/cluster.yaml",
            "cluster1/eastwest-gateway.yaml",
            "cluster1/remote-secret.yaml",
            "cluster1/helloworld.yaml",
            "cluster1/sleep.yaml");
    static final List<String> CLUSTER2 = List.of(
            "cluster2/cluster.yaml",
            "cluster2/eastwest-gateway.yaml",
            "cluster2/remote-secret.yaml",
            "cluster2/helloworld.yaml");
    static final String FAILOVER = "cluster1/locality-failover.yaml.alt";
    private static final Pattern INSTANCE = Pattern.compile("instance: (\\S+)");

    private final int requests;
    private final Duration ejectionTime;
    private final RandomSource random;
    private final @Nullable PrintStream progress;

    /**
     * @param ejectionTime replaces the rule's {@code baseEjectionTime: 1m} so phase (d) does not take
     *     a minute
     */
    public MultiClusterDemo(int requests, Duration ejectionTime, RandomSource random, @Nullable PrintStream progress) {
        this.requests = requests;
        this.ejectionTime = ejectionTime;
        this.random = random;
        this.progress = progress;
    }

    public DemoReport run() throws Exception {
        List<String> files = new ArrayList<>(CLUSTER1);
        files.addAll(CLUSTER2);
        files.add(FAILOVER);
        Path dir = ExampleFiles.extract("multicluster", files);
        MeshConfigBundle cluster1 = DemoSupport.loadLayers(paths(dir, CLUSTER1));
        List<Path> withRule = paths(dir, CLUSTER1);
        withRule.add(dir.resolve(FAILOVER));
        MeshConfigBundle cluster1Failover = MultiAzDemo.shortenEjection(DemoSupport.loadLayers(withRule), ejectionTime);
        MeshConfigBundle cluster2 = DemoSupport.loadLayers(paths(dir, CLUSTER2));
        List<DemoPhase> phases = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (MultiClusterMesh mesh = MultiClusterMesh.start(
                List.of(
                        new MultiClusterMesh.Member("cluster1", cluster1),
                        new MultiClusterMesh.Member("cluster2", cluster2)),
                random,
                Duration.ofHours(24),
                this::log)) {
            MultiClusterChecks checks = new MultiClusterChecks(mesh);
            mesh.awaitConverged(DemoSupport.CONVERGE_TIMEOUT);
            log("mesh up: cluster1 (network1, region1) and cluster2 (network2, region2), each CA an intermediate of "
                    + "one root; cluster1 discovers " + mesh.remotesOf("cluster1") + ", cluster2 discovers "
                    + mesh.remotesOf("cluster2"));
            long mtlsBefore = checks.mutualTlsCallsAtV2();
            DemoPhase a = phase(mesh, "a", "no DestinationRule: calls spread over v1 (cluster1) and v2 (cluster2)");
            long viaGateway = checks.mutualTlsCallsAtV2() - mtlsBefore;
            ZoneCounts ca = a.client(CLIENT);
            String gateway = checks.remoteEndpointsOfHelloworld();
            a = withNotes(
                    a,
                    List.of(
                            "sleep's endpoints for helloworld's region2 locality: " + gateway
                                    + " (cluster2's east-west gateway)",
                            "helloworld-v2's sidecar counted " + viaGateway + " mutual TLS calls from "
                                    + MultiClusterChecks.SLEEP_IDENTITY));
            expect(failures, a, ca.errors() == 0, "no errors");
            expect(failures, a, share(ca, "region1") >= 0.25 && share(ca, "region2") >= 0.25, "~50/50 v1/v2");
            expect(
                    failures,
                    a,
                    gateway.equals(MultiClusterChecks.CLUSTER2_GATEWAY),
                    "v2 reached at cluster2's gateway");
            expect(failures, a, viaGateway >= ca.inZone("region2") && ca.inZone("region2") > 0, "v2 calls over mTLS");
            phases.add(a);

            mesh.apply("cluster1", cluster1Failover);
            mesh.awaitConverged(DemoSupport.CONVERGE_TIMEOUT);
            DemoPhase b =
                    phase(mesh, "b", "locality-failover.yaml.alt applied in cluster1: calls stay in region1 (v1)");
            b = withNotes(
                    b, List.of("(baseEjectionTime 1m shortened to " + ejectionTime.toSeconds() + "s for the demo)"));
            ZoneCounts cb = b.client(CLIENT);
            expect(failures, b, cb.inZone("region1") == cb.total() && cb.errors() == 0, "100% v1");
            phases.add(b);

            List<EchoServer> v1 = mesh.cluster("cluster1").appsOf(NAMESPACE, "helloworld-v1");
            v1.forEach(EchoServer::stop);
            log("stopped helloworld-v1 in cluster1");
            DemoPhase c = withNotes(
                    phase(mesh, "c", "helloworld-v1 stopped: calls fail over to v2 through cluster2's gateway"),
                    List.of(DemoSupport.FAILOVER_NOTE));
            ZoneCounts cc = c.client(CLIENT);
            expect(
                    failures,
                    c,
                    cc.inZone("region2") == cc.total() - cc.errors() && cc.errors() <= 1,
                    "100% v2, at most one failed call");
            phases.add(c);

            mesh.apply("cluster2", MultiClusterChecks.withoutGateway(cluster2));
            mesh.awaitConverged(DemoSupport.CONVERGE_TIMEOUT);
            log("stopped cluster2's east-west gateway");
            for (EchoServer s : v1) {
                s.restart();
            }
            log("restarted helloworld-v1; waiting for its ejection to end");
            int probes = DemoSupport.awaitAnsweredFrom(
                    mesh.cluster("cluster1"),
                    NAMESPACE,
                    CLIENT,
                    URL,
                    "region1",
                    ejectionTime.plusSeconds(15),
                    r -> classify(mesh, r));
            DemoPhase d = withNotes(
                    phase(mesh, "d", "cluster2's gateway stopped, helloworld-v1 back: v1 again"),
                    List.of("(waited with " + probes + " probe requests until v1 answered again)"));
            ZoneCounts cd = d.client(CLIENT);
            expect(failures, d, cd.inZone("region1") == cd.total() && cd.errors() == 0, "100% v1");
            phases.add(d);
        }
        return new DemoReport("multicluster", REGIONS, phases, failures);
    }

    private DemoPhase phase(MultiClusterMesh mesh, String id, String title) {
        SendResult r = DemoSupport.send(mesh.cluster("cluster1"), NAMESPACE, CLIENT, URL, requests);
        List<String> notes = r.errorCauses().isEmpty() ? List.of() : List.of("errors by cause: " + r.errorCauses());
        return new DemoPhase(id, title, List.of(classify(mesh, r)), notes);
    }

    /** Counts answers by the region of the pod that answered, in whichever cluster it runs. */
    private static ZoneCounts classify(MultiClusterMesh mesh, SendResult r) {
        return DemoSupport.classify(CLIENT, "region1", r, line -> {
            Matcher m = INSTANCE.matcher(line);
            if (!m.find()) {
                return "";
            }
            for (LocalMesh cluster : mesh.clusters().values()) {
                Locality l = cluster.localityOfPod(m.group(1));
                if (!l.region().isEmpty()) {
                    return l.region();
                }
            }
            return "";
        });
    }

    private DemoPhase withNotes(DemoPhase p, List<String> notes) {
        List<String> all = new ArrayList<>(p.notes());
        all.addAll(notes);
        DemoPhase out = new DemoPhase(p.id(), p.title(), p.clients(), all);
        log(out.toText(REGIONS));
        return out;
    }

    private void expect(List<String> failures, DemoPhase phase, boolean ok, String what) {
        if (!ok) {
            String line = "phase (" + phase.id() + "): expected " + what + "; saw "
                    + phase.client(CLIENT).byZone() + ", "
                    + phase.client(CLIENT).errors() + " errors";
            failures.add(line);
            log("FAILED " + line);
        }
    }

    private static double share(ZoneCounts c, String region) {
        return c.total() == 0 ? 0 : (double) c.inZone(region) / c.total();
    }

    private static List<Path> paths(Path dir, List<String> files) {
        List<Path> out = new ArrayList<>();
        files.forEach(f -> out.add(dir.resolve(f)));
        return out;
    }

    private void log(String line) {
        if (progress != null) {
            progress.println(line);
        }
    }
}
