package io.zonemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonemesh.cli.mesh.MeshStateFile;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zonemesh proxy-status}: like istioctl proxy-status, from the control plane's syncz. */
@Command(
        name = "proxy-status",
        mixinStandardHelpOptions = true,
        description = "Show each proxy's xDS sync state (SYNCED, STALE, NACKED with the error) in the running mesh.")
final class ProxyStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--state-dir", description = "Where `zonemesh up` recorded the mesh.")
    Path stateDir;

    @Option(names = "--json", description = "Print the raw status JSON.")
    boolean json;

    @Option(
            names = "--cluster",
            description = "In a mesh of `zonemesh up --cluster`: only this cluster's control plane (default: each "
                    + "cluster's, under a heading).")
    @io.zonemesh.common.Nullable
    String cluster;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Optional<MeshStateFile> mesh = MeshStateFile.find(stateDir != null ? stateDir : MeshStateFile.defaultDir());
        if (mesh.isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println("zonemesh proxy-status: no running mesh found; start one with `zonemesh up -f DIR`");
            return 3;
        }
        String problem = cluster == null ? null : mesh.get().clusterProblem("", "", cluster);
        if (problem != null) {
            spec.commandLine().getErr().println("zonemesh proxy-status: " + problem);
            return 2;
        }
        if (mesh.get().clusters().isEmpty()) {
            return show(mesh.get().debugPort(), out) ? 1 : 0;
        }
        boolean nacked = false;
        for (MeshStateFile.Cluster c : mesh.get().clusters()) {
            if (cluster == null || cluster.equals(c.name())) {
                if (!json) {
                    out.println("cluster " + c.name() + ":");
                }
                nacked |= show(c.debugPort(), out);
            }
        }
        return nacked ? 1 : 0;
    }

    /** One control plane's syncz, raw or as a table; whether a proxy NACKed. */
    private boolean show(int debugPort, PrintWriter out) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + debugPort + "/debug/syncz"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (json) {
            out.println(res.body());
            return false;
        }
        return printTable(new ObjectMapper().readTree(res.body()), out);
    }

    /**
     * Prints one row per ADS connection; returns whether any connection NACKed. A proxy with two
     * live connections (a restart's overlap, or a client claiming another's node id) gets two
     * rows, told apart by their connection ids ({@code <node id>-<n>}, as istiod's).
     */
    static boolean printTable(JsonNode proxies, PrintWriter out) {
        Map<String, Integer> rowsPerProxy = new HashMap<>();
        proxies.forEach(p -> rowsPerProxy.merge(p.path("proxy").asText(), 1, Integer::sum));
        out.println(String.format(
                Locale.ROOT,
                "%-45s %-12s %-8s %-8s %-8s %-8s %s",
                "PROXY",
                "LOCALITY",
                "CDS",
                "LDS",
                "EDS",
                "RDS",
                "LAST ERROR"));
        boolean nacked = false;
        for (JsonNode p : proxies) {
            String proxy = p.path("proxy").asText();
            if (rowsPerProxy.getOrDefault(proxy, 1) > 1 && p.hasNonNull("connection")) {
                proxy = p.path("connection").asText();
            }
            JsonNode types = p.path("types");
            String error = "";
            StringBuilder row = new StringBuilder(String.format(
                    Locale.ROOT, "%-45s %-12s ", proxy, p.path("locality").asText()));
            for (String t : new String[] {"CDS", "LDS", "EDS", "RDS"}) {
                JsonNode s = types.path(t);
                row.append(String.format(
                        Locale.ROOT,
                        "%-8s ",
                        s.isMissingNode() ? "-" : s.path("status").asText()));
                if (s.has("lastError")) {
                    error = t + ": " + s.path("lastError").asText();
                    nacked = true;
                }
            }
            out.println(row.append(p.path("connected").asBoolean() ? error : "(disconnected)"));
        }
        return nacked;
    }
}
