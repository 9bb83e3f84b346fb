package io.zonemesh.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.http.RequestObserver;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.http.ResponseFlag;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Istio's standard HTTP metrics ({@code istio_requests_total}, {@code istio_request_duration_milliseconds},
 * {@code istio_request_bytes}, {@code istio_response_bytes}) with the stats plugin's labels
 * ({@link IstioLabels}), one series per label set, registered on first use.
 *
 * <p>The three histograms use Envoy's default buckets: Istio configures no
 * {@code histogram_bucket_settings} for them unless a pod sets
 * {@code sidecar.istio.io/statsHistogramBuckets}, so its byte histograms have the same bounds as
 * its duration one. Micrometer also exports a {@code _max} gauge next to each histogram; Istio has
 * no such series, and dashboards do not read it.
 */
final class IstioStandardMetrics implements RequestObserver {
    /** Envoy's default histogram buckets ({@code supported_buckets}), Istio's for all three. */
    static final double[] BUCKETS = {
        0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000
    };

    private final MeterRegistry registry;
    private final IstioLabels labels;
    private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

    IstioStandardMetrics(MeterRegistry registry, IstioLabels labels) {
        this.registry = registry;
        this.labels = labels;
    }

    @Override
    public void onRequestComplete(RequestRecord r) {
        List<String> values = labels.values(r, responseFlags(r), securityPolicy(r));
        Series s = series.computeIfAbsent(values, this::register);
        s.requests.increment();
        // Istio's duration is the whole request as the proxy saw it (Envoy's request duration).
        s.duration.record(r.durationNanos() / 1_000_000.0);
        s.requestBytes.record((double) r.bytesReceived());
        s.responseBytes.record((double) r.bytesSent());
    }

    private Series register(List<String> values) {
        Tags tags = labels.tags(values);
        return new Series(
                Counter.builder("istio_requests")
                        .description("Requests handled, by Istio's standard labels")
                        .tags(tags)
                        .register(registry),
                histogram("istio_request_duration_milliseconds", "Request durations in milliseconds", tags),
                histogram("istio_request_bytes", "HTTP request body sizes in bytes", tags),
                histogram("istio_response_bytes", "HTTP response body sizes in bytes", tags));
    }

    private DistributionSummary histogram(String name, String description, Tags tags) {
        return DistributionSummary.builder(name)
                .description(description)
                .tags(tags)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** Envoy's {@code %RESPONSE_FLAGS%}: {@code -} when none, else the codes joined by commas. */
    static String responseFlags(RequestRecord r) {
        return r.flags().isEmpty()
                ? "-"
                : r.flags().stream().map(ResponseFlag::code).collect(Collectors.joining(","));
    }

    /**
     * Istio's {@code connection_security_policy}: only the destination reports it, {@code mutual_tls}
     * when the client presented a verified certificate, else {@code none}; the source reports
     * {@code unknown}.
     */
    static String securityPolicy(RequestRecord r) {
        if (r.direction() != Direction.INBOUND) {
            return WorkloadPeer.UNKNOWN;
        }
        @Nullable String peer = r.downstreamPeerUriSan();
        return peer == null ? "none" : "mutual_tls";
    }

    private record Series(
            Counter requests,
            DistributionSummary duration,
            DistributionSummary requestBytes,
            DistributionSummary responseBytes) {}
}
