package io.zonemesh.cli.demo;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.Poll;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.Locality;
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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every demo does: load, wait for the mesh, send, count by zone. */
final class DemoSupport {
    static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(30);
    static final String FAILOVER_NOTE = "the first call to the dead endpoint is refused (503 UF for that attempt) and "
            + "ejects it; Istio's default retry (connect-failure, 503) re-sends it to the next priority, so the "
            + "caller sees at most that one call fail (none with the retry)";
    private static final Pattern INSTANCE = Pattern.compile("instance: (\\S+)");

    private DemoSupport() {}

    static MeshConfigBundle load(Path dir) {
        return loadLayers(List.of(dir));
    }

    static MeshConfigBundle withIstio(MeshConfigBundle b, IstioConfig istio) {
        return new MeshConfigBundle(b.namespaces(), b.nodes(), b.services(), b.deployments(), b.pods(), istio);
    }

    static void awaitConverged(LocalMesh mesh, @Nullable PrintStream progress) throws Exception {
        awaitConverged(mesh, progress, "mesh up");
    }

    static void awaitConverged(LocalMesh mesh, @Nullable PrintStream progress, String what) throws Exception {
        mesh.awaitConverged(CONVERGE_TIMEOUT);
        long version = mesh.registry().state().version();
        int proxies = mesh.describe("").proxies().size();
        if (progress != null) {
            progress.println(
                    what + ": " + proxies + " proxies in sync with the control plane (mesh version " + version + ")");
        }
    }

    static void applyAndAwait(LocalMesh mesh, MeshConfigBundle bundle, @Nullable PrintStream progress)
            throws Exception {
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
        return by(mesh, namespace, client, r, Locality::zone);
    }

    /** Counts answers by the region of the instance named in each response line. */
    static ZoneCounts byRegion(LocalMesh mesh, String namespace, String client, SendResult r) {
        return by(mesh, namespace, client, r, Locality::region);
    }

    private static ZoneCounts by(
            LocalMesh mesh, String namespace, String client, SendResult r, Function<Locality, String> part) {
        String own = part.apply(mesh.podsOf(namespace, client).get(0).locality());
        return classify(client, own, r, line -> {
            Matcher m = INSTANCE.matcher(line);
            return m.find() ? part.apply(mesh.localityOfPod(m.group(1))) : "";
        });
    }

    /** Counts answers by the place {@code placeOf} reads from each response line ("?" when unknown). */
    static ZoneCounts classify(String client, String clientPlace, SendResult r, Function<String, String> placeOf) {
        Map<String, Integer> counts = new HashMap<>();
        r.responses().forEach((line, n) -> {
            String place = placeOf.apply(line);
            counts.merge(place == null || place.isEmpty() ? "?" : place, n, Integer::sum);
        });
        return ZoneCounts.of(client, clientPlace, r.total(), counts, r.errors());
    }

    /**
     * Sends single requests until one is answered from {@code zone}; returns how many it took.
     * Used to wait for an ejection to end without knowing the proxy's internals.
     */
    static int awaitAnsweredFrom(
            LocalMesh mesh, String namespace, String client, URI url, String zone, Duration timeout) throws Exception {
        return awaitAnsweredFrom(mesh, namespace, client, url, zone, timeout, r -> byZone(mesh, namespace, client, r));
    }

    /** As above, with the caller's way of telling where an answer came from. */
    static int awaitAnsweredFrom(
            LocalMesh mesh,
            String namespace,
            String client,
            URI url,
            String place,
            Duration timeout,
            Function<SendResult, ZoneCounts> classify)
            throws Exception {
        int[] probes = {0};
        Poll.until(
                () -> {
                    probes[0]++;
                    return classify.apply(send(mesh, namespace, client, url, 1)).inZone(place) == 1;
                },
                timeout,
                Duration.ofMillis(200),
                place + " to answer " + client + " again");
        return probes[0];
    }

    /** Reads files (later ones replacing resources of the same kind, namespace and name), or fails. */
    static MeshConfigBundle loadLayers(List<Path> files) {
        LoadResult result = new ConfigLoader().loadLayers(files);
        if (result.hasErrors()) {
            StringBuilder sb = new StringBuilder("the bundled example is invalid:\n");
            for (Diagnostic d : result.diagnostics()) {
                sb.append("  ").append(d.format()).append('\n');
            }
            throw new IllegalStateException(sb.toString());
        }
        return result.bundle();
    }
}
