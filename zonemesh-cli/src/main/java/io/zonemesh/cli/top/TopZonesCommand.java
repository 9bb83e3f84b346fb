package io.zonemesh.cli.top;

import io.zonemesh.cli.HostPortOption;
import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.cli.top.ProxyScraper.ProxyEndpoint;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.parse.Durations;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zonemesh top zones}: the live zone-to-zone matrix of the running mesh. */
@Command(
        name = "zones",
        mixinStandardHelpOptions = true,
        description = {
            "Live zone-to-zone matrix of requests/s and bytes/s across all proxies (each proxy's "
                    + "/stats/prometheus, reporter=\"source\" series of istio_requests_total, "
                    + "istio_request_bytes, istio_response_bytes and istio_tcp_*_bytes_total), the cross-zone "
                    + "share of requests and bytes, the cross-zone cost per day, and the proxies' last failover "
                    + "events with their reason. Redraws every --interval (rates over --window) until stdin "
                    + "closes or Ctrl-C; --once prints one view from two samples --interval apart.",
            "Proxies: those of the running `zonemesh up` mesh, or the admin APIs named with --admin "
                    + "(in Kubernetes, after `kubectl port-forward POD 15000`)."
        })
public final class TopZonesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--window",
            defaultValue = "1m",
            converter = GoDuration.class,
            description = "Rates span the samples of this window (default ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--interval",
            defaultValue = "2s",
            converter = GoDuration.class,
            description = "Time between samples and redraws (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
            names = "--price-per-gb",
            defaultValue = "0.01",
            description = "Cross-zone transfer price in USD per GB, a GB being 10^9 bytes as the clouds bill it; "
                    + "request and response bytes are each counted once (AWS and GCP charge 0.01 per GB in each "
                    + "direction: 0.02 counts both sides) (default ${DEFAULT-VALUE}). "
                    + "Cost per day = cross-zone bytes/s x 86,400 / 1e9 x this price.")
    double pricePerGb;

    @Option(names = "--once", description = "Print one view from two samples --interval apart, then exit.")
    boolean once;

    @Option(names = "--json", description = "Print JSON instead of the table (one document per refresh).")
    boolean json;

    @Option(
            names = "--iterations",
            defaultValue = "1800",
            description = "Exit after this many redraws at the latest (default ${DEFAULT-VALUE}: an hour at 2s).")
    int iterations;

    @Option(
            names = "--admin",
            paramLabel = "HOST:PORT",
            description = "Read this proxy's admin API (repeatable) instead of the running `zonemesh up` mesh.")
    List<String> admins = new ArrayList<>();

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where `zonemesh up` recorded the mesh.")
    @Nullable
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<ProxyEndpoint> proxies = proxies();
        ProxyScraper scraper = ProxyScraper.http();
        ZonesTop top;
        try {
            top = new ZonesTop(
                    new ZoneSampler(proxies, scraper, Clock.system()),
                    once ? Pacer.waiting() : Pacer.untilEndOf(System.in),
                    interval,
                    window,
                    pricePerGb,
                    json,
                    iterations);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("zonemesh top zones: " + e.getMessage());
            return 2;
        }
        if (once) {
            return top.once(out) ? 0 : 1;
        }
        top.live(out);
        return 0;
    }

    /** The proxies named with --admin, else every proxy of the running local mesh. */
    private List<ProxyEndpoint> proxies() throws java.io.IOException {
        List<ProxyEndpoint> proxies = new ArrayList<>();
        for (String admin : admins) {
            InetSocketAddress address = HostPortOption.parse(spec, "--admin", admin);
            String hostPort = address.getHostString() + ":" + address.getPort();
            proxies.add(new ProxyEndpoint(hostPort, hostPort));
        }
        if (!proxies.isEmpty()) {
            return proxies;
        }
        Path dir = stateDir != null ? stateDir : MeshStateFile.defaultDir();
        Optional<MeshStateFile> mesh = MeshStateFile.find(dir);
        if (mesh.isEmpty()) {
            throw new IllegalStateException("no running mesh found in " + dir
                    + "; start one with `zonemesh up -f DIR`, or name proxies' admin APIs with --admin HOST:PORT");
        }
        return ProxyEndpoint.of(mesh.get());
    }

    /** Go's duration syntax ({@code 500ms}, {@code 2s}, {@code 1m}), as Istio's config and istioctl take them. */
    static final class GoDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
