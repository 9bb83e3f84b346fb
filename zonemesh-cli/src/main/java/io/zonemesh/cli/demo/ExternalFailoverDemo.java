package io.zonemesh.cli.demo;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.cli.echo.EchoServer;
import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.model.istio.ServiceEntryConfig;
import io.zonemesh.model.istio.WorkloadEntryConfig;
import io.zonemesh.proxy.Transport;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * examples/external-failover: an external database with one endpoint per region, reached through
 * a ServiceEntry with DNS resolution. (a) the caller in us-east1 uses the us-east1 endpoint;
 * (b) that endpoint breaks and calls move to us-west1. The two "external" endpoints are HTTP
 * servers on 127.0.0.1 with ports the kernel picks, written into the ServiceEntry in place of
 * the example's localhost:18081/18082.
 */
public final class ExternalFailoverDemo {
    static final String NAMESPACE = "default";
    static final String CLIENT = "sleep";
    static final URI URL = URI.create("http://mydb.example.com/");
    private static final List<String> REGIONS = List.of("us-east1", "us-west1");

    private final int requests;
    private final RandomSource random;
    private final @Nullable PrintStream progress;

    public ExternalFailoverDemo(int requests, RandomSource random, @Nullable PrintStream progress) {
        this.requests = requests;
        this.random = random;
        this.progress = progress;
    }

    public DemoReport run() throws Exception {
        Path dir = ExampleFiles.extract("external-failover", List.of("mesh.yaml"));
        MeshConfigBundle example = DemoSupport.load(dir);
        EventLoopGroup group = Transport.preferred().newGroup(1, new DefaultThreadFactory("zonemesh-demo-db"));
        Map<String, EchoServer> endpoints = new HashMap<>();
        try {
            Map<String, Integer> ports = new HashMap<>();
            for (String region : REGIONS) {
                EchoServer server = new EchoServer(group, "healthy: db-" + region + "\n");
                ports.put(region, server.start("127.0.0.1", 0));
                endpoints.put(region, server);
            }
            List<DemoPhase> phases = new ArrayList<>();
            try (LocalMesh mesh = LocalMesh.start(withPorts(example, ports), random)) {
                DemoSupport.awaitConverged(mesh, progress);
                phases.add(phase(
                        mesh,
                        "a",
                        "the caller in us-east1 uses the us-east1 endpoint",
                        List.of("(endpoints on 127.0.0.1:" + ports.get("us-east1") + " and :" + ports.get("us-west1")
                                + " instead of localhost:18081/18082)")));
                Objects.requireNonNull(endpoints.get("us-east1")).stop();
                log("stopped the us-east1 endpoint");
                phases.add(phase(
                        mesh,
                        "b",
                        "the us-east1 endpoint breaks: calls move to us-west1",
                        List.of(DemoSupport.FAILOVER_NOTE, "failover: us-east1 -> us-west1 (DestinationRule)")));
            }
            return new DemoReport("external-failover", REGIONS, phases);
        } finally {
            endpoints.values().forEach(EchoServer::close);
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
                    .syncUninterruptibly();
        }
    }

    private DemoPhase phase(LocalMesh mesh, String id, String title, List<String> notes) {
        SendResult r = DemoSupport.send(mesh, NAMESPACE, CLIENT, URL, requests);
        ZoneCounts counts = DemoSupport.classify(
                CLIENT,
                "us-east1",
                r,
                line -> line.startsWith("healthy: db-") ? line.substring("healthy: db-".length()) : "");
        DemoPhase phase = new DemoPhase(id, title, List.of(counts), notes);
        log(phase.toText(REGIONS));
        return phase;
    }

    /** The example with each endpoint's address and port replaced by the server standing in for it. */
    static MeshConfigBundle withPorts(MeshConfigBundle bundle, Map<String, Integer> portByRegion) {
        List<ServiceEntryConfig> entries = new ArrayList<>();
        for (ServiceEntryConfig se : bundle.istio().serviceEntries()) {
            List<WorkloadEntryConfig.Spec> eps = new ArrayList<>();
            for (WorkloadEntryConfig.Spec ep : se.endpoints()) {
                Integer port = portByRegion.get(ep.locality());
                if (port == null) {
                    eps.add(ep);
                    continue;
                }
                Map<String, Integer> ports = new HashMap<>();
                ep.ports().keySet().forEach(name -> ports.put(name, port));
                eps.add(new WorkloadEntryConfig.Spec(
                        "127.0.0.1",
                        ports,
                        ep.labels(),
                        ep.network(),
                        ep.locality(),
                        ep.weight(),
                        ep.serviceAccount()));
            }
            entries.add(new ServiceEntryConfig(
                    se.meta(),
                    se.hosts(),
                    se.addresses(),
                    se.ports(),
                    se.location(),
                    se.resolution(),
                    eps,
                    se.workloadSelector(),
                    se.exportTo(),
                    se.subjectAltNames()));
        }
        IstioConfig i = bundle.istio();
        return DemoSupport.withIstio(
                bundle,
                new IstioConfig(
                        i.destinationRules(),
                        i.virtualServices(),
                        entries,
                        i.workloadEntries(),
                        i.gateways(),
                        i.sidecars()));
    }

    private void log(String line) {
        if (progress != null) {
            progress.println(line);
        }
    }
}
