package io.zonemesh.cli.demo;

import io.zonemesh.cli.echo.EchoServer;
import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.model.istio.OutlierDetection;
import io.zonemesh.model.istio.TrafficPolicy;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * examples/multi-az in four phases: (a) no DestinationRule, (b) the locality-failover rule,
 * (c) az01's helloworld stopped, (d) az01 restored. Each phase sends the same number of
 * requests from each zone's client and counts which zone answered.
 */
public final class MultiAzDemo {
    static final String NAMESPACE = "sample";
    static final List<String> CLIENTS = List.of("sleep-az01", "sleep-az02");
    static final URI URL = URI.create("http://helloworld.sample:5000/hello");

    private final int requests;
    private final Duration ejectionTime;
    private final RandomSource random;
    private final @Nullable PrintStream progress;
    private final PhaseHook hook;

    /**
     * Runs around each phase's traffic, with the mesh as that phase left it: where a test (or an
     * operator's script) looks at the mesh between the phases, e.g. samples {@code top zones}
     * before and after the traffic, or reads {@code proxy-config} while az01 is ejected.
     */
    public interface PhaseHook {
        /** Does nothing. */
        PhaseHook NONE = new PhaseHook() {};

        /** Before phase {@code id} ({@code a}..{@code d}) sends its requests, the phase's change made. */
        default void beforeTraffic(String id, LocalMesh mesh) throws Exception {}

        /** After phase {@code id} sent its requests, before the next phase changes anything. */
        default void afterTraffic(String id, LocalMesh mesh) throws Exception {}
    }

    /**
     * @param ejectionTime replaces the rule's {@code baseEjectionTime: 1m} so phase (d) does not
     *     take a minute
     * @param progress where to print what is happening (null for none)
     */
    public MultiAzDemo(int requests, Duration ejectionTime, RandomSource random, @Nullable PrintStream progress) {
        this(requests, ejectionTime, random, progress, PhaseHook.NONE);
    }

    /** A demo that calls {@code hook} around each phase's traffic. */
    public MultiAzDemo(
            int requests, Duration ejectionTime, RandomSource random, @Nullable PrintStream progress, PhaseHook hook) {
        this.requests = requests;
        this.ejectionTime = ejectionTime;
        this.random = random;
        this.progress = progress;
        this.hook = java.util.Objects.requireNonNull(hook, "hook");
    }

    public DemoReport run() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml", "locality-failover.yaml"));
        MeshConfigBundle full = DemoSupport.load(dir);
        MeshConfigBundle withoutRules = DemoSupport.withIstio(
                full,
                new IstioConfig(
                        List.of(),
                        full.istio().virtualServices(),
                        full.istio().serviceEntries(),
                        full.istio().workloadEntries(),
                        full.istio().gateways(),
                        full.istio().sidecars()));
        MeshConfigBundle withRule = shortenEjection(full, ejectionTime);
        List<DemoPhase> phases = new ArrayList<>();
        try (LocalMesh mesh = LocalMesh.start(withoutRules, random)) {
            DemoSupport.awaitConverged(mesh, progress);
            phases.add(phase(
                    mesh,
                    "a",
                    "no DestinationRule: Istio's default LEAST_REQUEST spreads calls over both zones",
                    List.of()));

            DemoSupport.applyAndAwait(mesh, withRule, progress);
            phases.add(phase(
                    mesh,
                    "b",
                    "locality-failover.yaml applied: every call stays in the caller's zone",
                    List.of("(baseEjectionTime 1m shortened to " + ejectionTime.toSeconds() + "s for the demo)")));

            List<EchoServer> az01 = mesh.appsOf(NAMESPACE, "helloworld-az01");
            az01.forEach(EchoServer::stop);
            log("stopped helloworld-az01 (" + az01.size() + " instance)");
            phases.add(phase(
                    mesh,
                    "c",
                    "helloworld-az01 stopped: az01's client fails over to az02",
                    List.of(DemoSupport.FAILOVER_NOTE)));

            for (EchoServer s : az01) {
                s.restart();
            }
            log("restarted helloworld-az01; waiting for its ejection to end");
            int probes = DemoSupport.awaitAnsweredFrom(
                    mesh, NAMESPACE, "sleep-az01", URL, "az01", ejectionTime.plusSeconds(15));
            phases.add(phase(
                    mesh,
                    "d",
                    "helloworld-az01 restored: back to local after the ejection time",
                    List.of("(waited with " + probes + " probe requests until az01 answered az01's client again)")));
        }
        return new DemoReport("multi-az", List.of("az01", "az02"), phases);
    }

    private DemoPhase phase(LocalMesh mesh, String id, String title, List<String> notes) throws Exception {
        List<ZoneCounts> counts = new ArrayList<>();
        hook.beforeTraffic(id, mesh);
        for (String client : CLIENTS) {
            SendResult r = DemoSupport.send(mesh, NAMESPACE, client, URL, requests);
            counts.add(DemoSupport.byZone(mesh, NAMESPACE, client, r));
        }
        hook.afterTraffic(id, mesh);
        DemoPhase phase = new DemoPhase(id, title, counts, notes);
        log(phase.toText(List.of("az01", "az02")));
        return phase;
    }

    /** {@code bundle} with every outlier detection's baseEjectionTime replaced (the demos' 1m is too long). */
    static MeshConfigBundle shortenEjection(MeshConfigBundle bundle, Duration ejectionTime) {
        List<DestinationRuleConfig> rules = new ArrayList<>();
        for (DestinationRuleConfig dr : bundle.istio().destinationRules()) {
            TrafficPolicy tp = dr.trafficPolicy();
            if (tp != null && tp.outlierDetection() != null) {
                OutlierDetection od = tp.outlierDetection();
                OutlierDetection shorter = new OutlierDetection(
                        od.consecutive5xxErrors(),
                        od.consecutiveGatewayErrors(),
                        od.consecutiveLocalOriginFailures(),
                        od.splitExternalLocalOriginErrors(),
                        od.interval(),
                        ejectionTime,
                        od.maxEjectionPercent(),
                        od.minHealthPercent());
                tp = new TrafficPolicy(
                        tp.loadBalancer(), tp.connectionPool(), shorter, tp.tls(), tp.portLevelSettings());
            }
            rules.add(new DestinationRuleConfig(
                    dr.meta(), dr.host(), tp, dr.subsets(), dr.exportTo(), dr.workloadSelector()));
        }
        IstioConfig i = bundle.istio();
        // withIstio keeps the Secrets (a multi-cluster example's remote secret), ServiceAccounts,
        // IstioOperators and PeerAuthentications.
        return bundle.withIstio(new IstioConfig(
                rules,
                i.virtualServices(),
                i.serviceEntries(),
                i.workloadEntries(),
                i.gateways(),
                i.sidecars(),
                i.peerAuthentications()));
    }

    private void log(String line) {
        if (progress != null) {
            progress.println(line);
        }
    }
}
