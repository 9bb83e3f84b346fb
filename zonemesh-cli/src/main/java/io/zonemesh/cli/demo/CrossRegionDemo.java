package io.zonemesh.cli.demo;

import io.zonemesh.cli.echo.EchoServer;
import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.MeshConfigBundle;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * examples/cross-region: (a) {@code distribute} sends 90% of the hangzhou frontend's calls to
 * reviews in its own region and 10% to shanghai; (b) failover.yaml.alt replaces that rule: 100%
 * in-region; (c) hangzhou's reviews stops: calls fail over to shanghai.
 */
public final class CrossRegionDemo {
    static final String NAMESPACE = "shop";
    static final String CLIENT = "frontend-hangzhou";
    static final URI URL = URI.create("http://reviews.shop:9080/reviews");
    private static final List<String> REGIONS = List.of("cn-hangzhou", "cn-shanghai");

    private final int requests;
    private final RandomSource random;
    private final @Nullable PrintStream progress;

    public CrossRegionDemo(int requests, RandomSource random, @Nullable PrintStream progress) {
        this.requests = requests;
        this.random = random;
        this.progress = progress;
    }

    public DemoReport run() throws Exception {
        Path dir = ExampleFiles.extract("cross-region", List.of("mesh.yaml", "failover.yaml.alt"));
        MeshConfigBundle distribute = DemoSupport.loadLayers(List.of(dir.resolve("mesh.yaml")));
        MeshConfigBundle failover =
                DemoSupport.loadLayers(List.of(dir.resolve("mesh.yaml"), dir.resolve("failover.yaml.alt")));
        List<DemoPhase> phases = new ArrayList<>();
        try (LocalMesh mesh = LocalMesh.start(distribute, random)) {
            DemoSupport.awaitConverged(mesh, progress);
            phases.add(phase(mesh, "a", "distribute 90/10: hangzhou keeps 90% of its calls in-region", List.of()));

            DemoSupport.applyAndAwait(mesh, failover, progress);
            phases.add(phase(mesh, "b", "failover.yaml.alt applied: 100% in-region", List.of()));

            List<EchoServer> local = mesh.appsOf(NAMESPACE, "reviews-v1");
            local.forEach(EchoServer::stop);
            log("stopped reviews-v1 (cn-hangzhou)");
            phases.add(phase(
                    mesh,
                    "c",
                    "reviews in cn-hangzhou stopped: calls fail over to cn-shanghai",
                    List.of(DemoSupport.FAILOVER_NOTE)));
        }
        return new DemoReport("cross-region", REGIONS, phases);
    }

    private DemoPhase phase(LocalMesh mesh, String id, String title, List<String> notes) {
        SendResult r = DemoSupport.send(mesh, NAMESPACE, CLIENT, URL, requests);
        DemoPhase phase = new DemoPhase(id, title, List.of(DemoSupport.byRegion(mesh, NAMESPACE, CLIENT, r)), notes);
        log(phase.toText(REGIONS));
        return phase;
    }

    private void log(String line) {
        if (progress != null) {
            progress.println(line);
        }
    }
}
