package io.zonemesh.cli.demo;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.common.Poll;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.proxy.ZonemeshProxy;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every demo does: load, wait for the mesh, send, count by zone. */
final class DemoSupport {
    static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern INSTANCE = Pattern.compile("instance: (\\S+)");

    private DemoSupport() {}

    static MeshConfigBundle load(Path dir) {
        LoadResult result = new ConfigLoader().load(dir);
        if (result.hasErrors()) {
            StringBuilder sb = new StringBuilder("the bundled example is invalid:\n");
            for (Diagnostic d : result.diagnostics()) {
                sb.append("  ").append(d.format()).append('\n');
            }
            throw new IllegalStateException(sb.toString());
        }
        return result.bundle();
    }

    static MeshConfigBundle withIstio(MeshConfigBundle b, IstioConfig istio) {
        return new MeshConfigBundle(b.namespaces(), b.nodes(), b.services(), b.deployments(), b.pods(), istio);
    }

    static void awaitConverged(LocalMesh mesh, PrintStream progress) throws Exception {
        awaitConverged(mesh, progress, "mesh up");
    }

    static void awaitConverged(LocalMesh mesh, PrintStream progress, String what) throws Exception {
        long version = mesh.registry().state().version();
        int proxies = mesh.describe("").proxies().size();
        Poll.until(() -> mesh.controlPlane().converged(version, proxies), CONVERGE_TIMEOUT, Duration.ofMillis(20),
                proxies + " proxies to ACK mesh version " + version);
        if (progress != null) {
            progress.println(what + ": " + proxies + " sidecars in sync with the control plane (mesh version "
                    + version + ")");
        }
    }

    static void applyAndAwait(LocalMesh mesh, MeshConfigBundle bundle, PrintStream progress) throws Exception {
        mesh.apply(bundle);
        awaitConverged(mesh, progress, "config pushed");
    }

    static SendResult send(LocalMesh mesh, String namespace, String client, URI url, int count) {
        ZonemeshProxy proxy = mesh.sidecarOf(namespace, client);
        if (proxy == null) {
            throw new IllegalStateException(namespace + "/" + client + " has no sidecar");
        }
        return new Sender(new InetSocketAddress("127.0.0.1", proxy.outboundPort()), Duration.ofSeconds(15))
                .send(url, count, "GET", List.of(), null);
    }

    /** Counts answers by the zone of the instance named in each response line. */
    static ZoneCounts byZone(LocalMesh mesh, String namespace, String client, SendResult r) {
        Map<String, Integer> byZone = new HashMap<>();
        r.responses().forEach((line, n) -> {
            Matcher m = INSTANCE.matcher(line);
            String zone = m.find() ? mesh.zoneOfPod(m.group(1)) : "";
            byZone.merge(zone.isEmpty() ? "?" : zone, n, Integer::sum);
        });
        String clientZone = mesh.podsOf(namespace, client).get(0).locality().zone();
        return ZoneCounts.of(client, clientZone, r.total(), byZone, r.errors());
    }

    /**
     * Sends single requests until one is answered from {@code zone}; returns how many it took.
     * Used to wait for an ejection to end without knowing the proxy's internals.
     */
    static int awaitAnsweredFrom(LocalMesh mesh, String namespace, String client, URI url, String zone,
            Duration timeout) throws Exception {
        int[] probes = {0};
        Poll.until(() -> {
            probes[0]++;
            return byZone(mesh, namespace, client, send(mesh, namespace, client, url, 1)).inZone(zone) == 1;
        }, timeout, Duration.ofMillis(200), zone + " to answer " + client + " again");
        return probes[0];
    }
}
