package io.zonemesh.cli.top;

import io.zonemesh.common.metrics.PrometheusText;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Requests and bytes, cumulative (a scrape) or per second (a rate), between a source zone and a
 * destination zone, and how they are read from a proxy's Istio standard metrics.
 */
final class ZoneTraffic {
    /** A source zone and a destination zone; a zone the labels leave empty is {@code unknown}. */
    record ZonePair(String source, String destination) implements Comparable<ZonePair> {
        boolean crossZone() {
            return !source.equals(destination);
        }

        @Override
        public int compareTo(ZonePair o) {
            int c = source.compareTo(o.source);
            return c != 0 ? c : destination.compareTo(o.destination);
        }
    }

    /** Requests and bytes (request plus response, HTTP bodies and TCP payload). */
    record Traffic(double requests, double bytes) {
        static final Traffic NONE = new Traffic(0, 0);

        Traffic plus(Traffic o) {
            return new Traffic(requests + o.requests, bytes + o.bytes);
        }
    }

    private static final String REQUESTS = "istio_requests_total";
    /** The byte counters summed per zone pair: HTTP bodies both ways, TCP payload both ways. */
    private static final Set<String> BYTES = Set.of(
            "istio_request_bytes_sum",
            "istio_response_bytes_sum",
            "istio_tcp_sent_bytes_total",
            "istio_tcp_received_bytes_total");

    private ZoneTraffic() {}

    /**
     * One proxy's cumulative traffic by zone pair. Only {@code reporter="source"} series count:
     * Istio reports every call twice, once by each end, and the caller's proxy sees every call,
     * also those to workloads without a sidecar.
     */
    static Map<ZonePair, Traffic> of(List<PrometheusText.Sample> samples) {
        Map<ZonePair, Traffic> out = new HashMap<>();
        for (PrometheusText.Sample s : samples) {
            boolean requests = s.name().equals(REQUESTS);
            if ((!requests && !BYTES.contains(s.name())) || !s.label("reporter").equals("source")) {
                continue;
            }
            ZonePair pair = new ZonePair(zone(s.label("source_zone")), zone(s.label("destination_zone")));
            out.merge(pair, requests ? new Traffic(s.value(), 0) : new Traffic(0, s.value()), Traffic::plus);
        }
        return out;
    }

    private static String zone(String label) {
        return label.isEmpty() ? "unknown" : label;
    }
}
