package io.zonemesh.cli;

import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.common.metrics.PrometheusText;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zonemesh traffic}: where requests flowed, zone to zone, summed from every sidecar's
 * {@code zonemesh_requests_total}, and what the cross-zone part costs at a per-GB price.
 */
@Command(
        name = "traffic",
        mixinStandardHelpOptions = true,
        description = "Zone-to-zone request matrix of the running mesh, from every sidecar's metrics, with the "
                + "estimated cost of the cross-zone part.")
final class TrafficCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--state-dir", description = "Where `zonemesh up` recorded the mesh.")
    Path stateDir;

    @Option(
            names = "--cluster",
            description =
                    "In a mesh of `zonemesh up --cluster`: only this cluster's sidecars (default: every cluster's).")
    @io.zonemesh.common.Nullable
    String cluster;

    @Option(
            names = "--bytes-per-request",
            defaultValue = "2048",
            description = "Request + response bytes assumed per call for the cost estimate (default ${DEFAULT-VALUE}).")
    long bytesPerRequest;

    @Option(
            names = "--price-per-gb",
            defaultValue = "0.02",
            description = "Cross-zone price per GB, both directions together (default ${DEFAULT-VALUE} USD, "
                    + "the common 0.01 in + 0.01 out of AWS and GCP).")
    double pricePerGb;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Optional<MeshStateFile> mesh = MeshStateFile.find(stateDir != null ? stateDir : MeshStateFile.defaultDir());
        if (mesh.isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println("zonemesh traffic: no running mesh found; start one with `zonemesh up -f DIR`");
            return 3;
        }
        String problem = cluster == null ? null : mesh.get().clusterProblem("", "", cluster);
        if (problem != null) {
            spec.commandLine().getErr().println("zonemesh traffic: " + problem);
            return 2;
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<String, Map<String, Double>> matrix = new TreeMap<>();
        for (MeshStateFile.Proxy p : mesh.get().proxies()) {
            if (cluster != null && !cluster.equals(p.cluster())) {
                continue;
            }
            HttpResponse<String> res = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.adminPort() + "/stats/prometheus"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            try {
                add(res.body(), matrix);
            } catch (IllegalArgumentException e) {
                spec.commandLine()
                        .getErr()
                        .println("zonemesh traffic: " + p.pod() + "." + p.namespace() + ": /stats/prometheus: "
                                + e.getMessage());
                return 1;
            }
        }
        // Every zone of the mesh gets a row and a column, also those that sent or served nothing.
        for (MeshStateFile.App app : mesh.get().apps()) {
            String[] parts = app.locality().split("/");
            if (parts.length > 1 && !parts[1].isEmpty()) {
                matrix.computeIfAbsent(parts[1], k -> new TreeMap<>());
            }
        }
        out.print(render(matrix, bytesPerRequest, pricePerGb));
        return 0;
    }

    /** Adds the outbound request counts of one scrape to {@code matrix[source][destination]}. */
    static void add(String scrape, Map<String, Map<String, Double>> matrix) {
        for (PrometheusText.Sample sample : PrometheusText.parse(scrape)) {
            // each call is counted once, by the caller's sidecar
            if (sample.name().equals("zonemesh_requests_total")
                    && sample.label("direction").equals("outbound")) {
                matrix.computeIfAbsent(zone(sample, "source_zone"), k -> new TreeMap<>())
                        .merge(zone(sample, "destination_zone"), sample.value(), Double::sum);
            }
        }
    }

    private static String zone(PrometheusText.Sample sample, String label) {
        String zone = sample.label(label);
        return zone.isEmpty() ? "unknown" : zone;
    }

    static String render(Map<String, Map<String, Double>> matrix, long bytesPerRequest, double pricePerGb) {
        TreeSet<String> zones = new TreeSet<>(matrix.keySet());
        matrix.values().forEach(row -> zones.addAll(row.keySet()));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s", "from \\ to"));
        zones.forEach(z -> sb.append(String.format(Locale.ROOT, "%12s", z)));
        sb.append(String.format(Locale.ROOT, "%12s%n", "cross-zone"));
        double total = 0;
        double cross = 0;
        for (String from : matrix.keySet()) {
            Map<String, Double> row = matrix.get(from);
            sb.append(String.format(Locale.ROOT, "%-16s", from));
            double rowTotal = 0;
            double rowCross = 0;
            for (String to : zones) {
                double n = row.getOrDefault(to, 0.0);
                rowTotal += n;
                if (!to.equals(from)) {
                    rowCross += n;
                }
                sb.append(String.format(Locale.ROOT, "%12.0f", n));
            }
            total += rowTotal;
            cross += rowCross;
            sb.append(String.format(Locale.ROOT, "%11.1f%%%n", rowTotal == 0 ? 0 : 100 * rowCross / rowTotal));
        }
        double gb = cross * bytesPerRequest / 1e9;
        sb.append(String.format(
                Locale.ROOT,
                "%n%.0f of %.0f requests crossed zones (%.1f%%): ~%.6f GB, ~$%.6f at $%.3f/GB "
                        + "and %d bytes per request; per million such requests ~$%.4f%n",
                cross,
                total,
                total == 0 ? 0 : 100 * cross / total,
                gb,
                gb * pricePerGb,
                pricePerGb,
                bytesPerRequest,
                1e6 * bytesPerRequest / 1e9 * pricePerGb));
        return sb.toString();
    }
}
