package io.zonemesh.cli.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonemesh.cli.top.ProxyScraper.ProxyEndpoint;
import io.zonemesh.common.FakeClock;
import io.zonemesh.common.metrics.PrometheusText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The computation of {@code top zones} on canned exposition text: a fake scraper answers each
 * proxy's pages in turn and the pacer advances a fake clock by the interval.
 */
class ZonesTopTest {
    private static final ProxyEndpoint AZ01 = new ProxyEndpoint("sleep-az01.sample", "127.0.0.1:1");
    private static final ProxyEndpoint AZ02 = new ProxyEndpoint("sleep-az02.sample", "127.0.0.1:2");
    private static final String NO_EVENTS = "{\"events\": []}";
    private static final String EJECTED = """
            {"events": [{"time": "2026-12-06T09:00:00Z", "epoch_millis": 1796547600000,
              "cluster": "outbound|5000||helloworld.sample.svc.cluster.local", "reason": "outlier_ejection",
              "from": [{"priority": 0, "load_percent": 100, "panic": false, "localities": ["us-east-1/az01/"]}],
              "to": [{"priority": 1, "load_percent": 100, "panic": false, "localities": ["us-east-1/az02/"]}]}]}
            """;

    /** Source-reported series of one zone pair: requests, and bytes split 1:3 over request and response. */
    private static String series(String from, String to, long requests, long bytes) {
        String labels = "reporter=\"source\",source_zone=\"" + from + "\",destination_zone=\"" + to + "\"";
        return "istio_requests_total{" + labels + "} " + requests + ".0\n"
                + "istio_request_bytes_sum{" + labels + "} " + bytes / 4 + ".0\n"
                + "istio_response_bytes_sum{" + labels + "} " + (bytes - bytes / 4) + ".0\n";
    }

    private static String page(String... series) {
        StringBuilder out = new StringBuilder("# TYPE istio_requests_total counter\n");
        for (String s : series) {
            out.append(s);
        }
        // The destination's view of the same calls must not count a second time.
        out.append(
                "istio_requests_total{reporter=\"destination\",source_zone=\"az01\",destination_zone=\"az02\"} 999.0\n");
        return out.toString();
    }

    record Case(
            String name,
            Map<ProxyEndpoint, List<String>> stats,
            Map<ProxyEndpoint, String> events,
            Map<String, Double> requestsPerSecond,
            double crossRequestShare,
            double crossBytesPerSecond,
            String failoverReason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new Case(
                        "one zone",
                        Map.of(
                                AZ01,
                                List.of(
                                        page(series("az01", "az01", 0, 0)),
                                        page(series("az01", "az01", 100, 200_000)))),
                        Map.of(AZ01, NO_EVENTS),
                        Map.of("az01>az01", 50.0),
                        0,
                        0,
                        null)),
                Arguments.of(new Case(
                        "two zones 50/50",
                        Map.of(
                                AZ01,
                                List.of(
                                        page(series("az01", "az01", 10, 1000), series("az01", "az02", 10, 1000)),
                                        page(series("az01", "az01", 60, 101_000), series("az01", "az02", 60, 101_000))),
                                AZ02,
                                List.of(
                                        page(series("az02", "az02", 0, 0), series("az02", "az01", 0, 0)),
                                        page(
                                                series("az02", "az02", 50, 100_000),
                                                series("az02", "az01", 50, 100_000)))),
                        Map.of(AZ01, NO_EVENTS, AZ02, NO_EVENTS),
                        Map.of("az01>az01", 25.0, "az01>az02", 25.0, "az02>az02", 25.0, "az02>az01", 25.0),
                        0.5,
                        100_000,
                        null)),
                Arguments.of(new Case(
                        "failover: az01's client sends everything to az02",
                        Map.of(
                                AZ01,
                                List.of(
                                        page(series("az01", "az01", 500, 1_000_000)),
                                        // The first series stops growing, a new one appears.
                                        page(
                                                series("az01", "az01", 500, 1_000_000),
                                                series("az01", "az02", 100, 200_000))),
                                AZ02,
                                List.of(
                                        page(series("az02", "az02", 7, 7)),
                                        page(series("az02", "az02", 107, 200_007)))),
                        Map.of(AZ01, EJECTED, AZ02, NO_EVENTS),
                        Map.of("az01>az01", 0.0, "az01>az02", 50.0, "az02>az02", 50.0),
                        0.5,
                        100_000,
                        "outlier_ejection")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onceComputesRatesSharesAndCostFromTwoSamplesAnIntervalApart(Case c) throws Exception {
        FakeClock clock = new FakeClock();
        ZoneSampler sampler = new ZoneSampler(List.copyOf(c.stats().keySet()), scraper(c.stats(), c.events()), clock);
        ZonesTop top =
                new ZonesTop(sampler, advancing(clock), Duration.ofSeconds(2), Duration.ofMinutes(1), 0.01, true, 1);

        StringWriter out = new StringWriter();
        assertThat(top.once(new PrintWriter(out))).isTrue();

        JsonNode view = new ObjectMapper().readTree(out.toString());
        assertThat(view.path("seconds").asDouble()).isEqualTo(2.0);
        Map<String, Double> rates = new HashMap<>();
        view.path("zones")
                .forEach(z -> rates.put(
                        z.path("source_zone").asText() + ">"
                                + z.path("destination_zone").asText(),
                        z.path("requests_per_second").asDouble()));
        assertThat(rates).isEqualTo(c.requestsPerSecond());
        assertThat(view.path("cross_zone_request_share").asDouble()).isCloseTo(c.crossRequestShare(), within(1e-9));
        assertThat(view.path("cross_zone_bytes_per_second").asDouble()).isEqualTo(c.crossBytesPerSecond());
        // Cost = cross-zone bytes/s x 86,400 / 1e9 x price, exactly as --help says.
        assertThat(view.path("cross_zone_cost_per_day").asDouble())
                .isCloseTo(c.crossBytesPerSecond() * 86_400 / 1e9 * 0.01, within(1e-12));
        if (c.failoverReason() == null) {
            assertThat(view.path("failover_events")).isEmpty();
        } else {
            assertThat(view.path("failover_events").get(0).path("reason").asText())
                    .isEqualTo(c.failoverReason());
            assertThat(view.path("failover_events").get(0).path("to").asText()).isEqualTo("P1 us-east-1/az02 100%");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theTableShowsTheSameFigures(Case c) throws Exception {
        FakeClock clock = new FakeClock();
        ZoneSampler sampler = new ZoneSampler(List.copyOf(c.stats().keySet()), scraper(c.stats(), c.events()), clock);
        ZonesTop top =
                new ZonesTop(sampler, advancing(clock), Duration.ofSeconds(2), Duration.ofMinutes(1), 0.01, false, 1);

        StringWriter out = new StringWriter();
        top.once(new PrintWriter(out));

        assertThat(out.toString())
                .doesNotContain(ZonesTop.CLEAR)
                .contains("over the last 2.0 s")
                .contains(String.format(
                        java.util.Locale.ROOT, "cross-zone: %.1f%% of requests", 100 * c.crossRequestShare()))
                .contains(String.format(
                        java.util.Locale.ROOT,
                        "cross-zone cost: $%.6f/day at $0.01/GB",
                        c.crossBytesPerSecond() * 86_400 / 1e9 * 0.01))
                .contains(c.failoverReason() == null ? "  none" : "outlier_ejection");
    }

    @org.junit.jupiter.api.Test
    void liveRedrawsEachIntervalOverTheWindowAndStopsAtItsBound() throws Exception {
        FakeClock clock = new FakeClock();
        Deque<Integer> totals = new ArrayDeque<>(List.of(0, 10, 20, 30, 40, 140));
        ProxyScraper scraper = (proxy, path) ->
                path.equals(ZoneSampler.STATS) ? page(series("az01", "az02", totals.removeFirst(), 0)) : NO_EVENTS;
        ZonesTop top = new ZonesTop(
                new ZoneSampler(List.of(AZ01), scraper, clock),
                advancing(clock),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                0.01,
                false,
                5);

        StringWriter out = new StringWriter();
        top.live(new PrintWriter(out));

        String[] pages = out.toString().split(java.util.regex.Pattern.quote(ZonesTop.CLEAR));
        assertThat(pages).hasSize(6); // "" before the first redraw, then 5 redraws: the bound
        assertThat(pages[1]).contains("over the last 1.0 s").contains("      10.0");
        // Later redraws span the 2 s window: (40 - 20) / 2, then (140 - 30) / 2.
        assertThat(pages[4]).contains("over the last 2.0 s").contains("      10.0");
        assertThat(pages[5]).contains("      55.0");
        assertThat(totals).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void anUnreadableProxyIsListedAndLeftOut() throws Exception {
        FakeClock clock = new FakeClock();
        ProxyScraper scraper = (proxy, path) -> {
            if (proxy.equals(AZ02)) {
                throw new IOException("connection refused");
            }
            return path.equals(ZoneSampler.STATS) ? page(series("az01", "az01", 4, 4)) : NO_EVENTS;
        };
        ZonesTop top = new ZonesTop(
                new ZoneSampler(List.of(AZ01, AZ02), scraper, clock),
                advancing(clock),
                Duration.ofSeconds(2),
                Duration.ofMinutes(1),
                0.01,
                false,
                1);

        StringWriter out = new StringWriter();
        top.once(new PrintWriter(out));

        assertThat(out.toString())
                .contains("zone traffic of 1 proxies")
                .contains("not read: sleep-az02.sample: connection refused");
    }

    @org.junit.jupiter.api.Test
    void aCounterThatWentBackwardsIsAProxyRestart() {
        ZoneSample before = new ZoneSample(
                0,
                Map.of("p", ZoneTraffic.of(PrometheusText.parse(page(series("a", "b", 100, 0))))),
                List.of(),
                List.of());
        ZoneSample after = new ZoneSample(
                2_000_000_000L,
                Map.of("p", ZoneTraffic.of(PrometheusText.parse(page(series("a", "b", 6, 0))))),
                List.of(),
                List.of());

        assertThat(ZoneRates.between(before, after).total().requests()).isEqualTo(3.0);
    }

    private static ProxyScraper scraper(Map<ProxyEndpoint, List<String>> stats, Map<ProxyEndpoint, String> events) {
        Map<ProxyEndpoint, Deque<String>> pages = new HashMap<>();
        stats.forEach((p, list) -> pages.put(p, new ArrayDeque<>(list)));
        return (proxy, path) ->
                path.equals(ZoneSampler.STATS) ? pages.get(proxy).removeFirst() : events.get(proxy);
    }

    private static Pacer advancing(FakeClock clock) {
        return interval -> {
            clock.advance(interval);
            return true;
        };
    }
}
