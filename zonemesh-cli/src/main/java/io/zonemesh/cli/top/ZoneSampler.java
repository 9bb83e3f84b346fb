package io.zonemesh.cli.top;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonemesh.cli.top.ProxyScraper.ProxyEndpoint;
import io.zonemesh.cli.top.ZoneSample.FailoverRow;
import io.zonemesh.cli.top.ZoneTraffic.Traffic;
import io.zonemesh.cli.top.ZoneTraffic.ZonePair;
import io.zonemesh.common.Clock;
import io.zonemesh.common.metrics.PrometheusText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Takes a {@link ZoneSample}: every proxy's {@code /stats/prometheus} and
 * {@code /zonemesh/failover_events}, one proxy after the other. A proxy that cannot be read, or
 * answers something that is not the format, is listed as unreachable and left out of the rates.
 */
final class ZoneSampler {
    static final String STATS = "/stats/prometheus";
    static final String FAILOVERS = "/zonemesh/failover_events";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ProxyEndpoint> proxies;
    private final ProxyScraper scraper;
    private final Clock clock;

    ZoneSampler(List<ProxyEndpoint> proxies, ProxyScraper scraper, Clock clock) {
        this.proxies = List.copyOf(proxies);
        this.scraper = scraper;
        this.clock = clock;
    }

    ZoneSample sample() throws InterruptedException {
        Map<String, Map<ZonePair, Traffic>> byProxy = new HashMap<>();
        List<String> unreachable = new ArrayList<>();
        List<FailoverRow> failovers = new ArrayList<>();
        // One time for the whole round: the scrapes follow each other within a timeout or two,
        // small against the refresh interval, and every proxy's rate then spans the same time.
        long nanos = clock.nanoTime();
        for (ProxyEndpoint proxy : proxies) {
            try {
                byProxy.put(proxy.name(), ZoneTraffic.of(PrometheusText.parse(scraper.get(proxy, STATS))));
                failovers.addAll(failovers(proxy, scraper.get(proxy, FAILOVERS)));
            } catch (IOException | IllegalArgumentException e) {
                unreachable.add(proxy.name() + ": " + e.getMessage());
            }
        }
        failovers.sort(
                Comparator.comparingLong(FailoverRow::epochMillis).reversed().thenComparing(FailoverRow::proxy));
        return new ZoneSample(nanos, byProxy, unreachable, failovers);
    }

    private static List<FailoverRow> failovers(ProxyEndpoint proxy, String page) throws IOException {
        JsonNode events = JSON.readTree(page).path("events");
        if (!events.isArray()) {
            throw new IOException(FAILOVERS + ": " + page.strip() + " (expected: {\"events\": [...]})");
        }
        List<FailoverRow> out = new ArrayList<>();
        for (JsonNode e : events) {
            out.add(new FailoverRow(
                    proxy.name(),
                    e.path("epoch_millis").asLong(),
                    e.path("time").asText(),
                    e.path("cluster").asText(),
                    e.path("reason").asText(),
                    shares(e.path("from")),
                    shares(e.path("to"))));
        }
        return out;
    }

    /** {@code P0 us-east-1/az01 100%, P1 us-east-1/az02 0% panic}: where the traffic went. */
    private static String shares(JsonNode shares) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : shares) {
            List<String> localities = new ArrayList<>();
            s.path("localities").forEach(l -> localities.add(l.asText()));
            out.add("P" + s.path("priority").asInt() + " "
                    + localities.stream().map(ZoneSampler::trimmed).collect(Collectors.joining("+"))
                    + " " + s.path("load_percent").asInt() + "%"
                    + (s.path("panic").asBoolean() ? " panic" : ""));
        }
        return String.join(", ", out);
    }

    /** {@code region/zone/} without the empty sub-zone's trailing slash. */
    private static String trimmed(String locality) {
        return locality.endsWith("/") ? locality.substring(0, locality.length() - 1) : locality;
    }
}
