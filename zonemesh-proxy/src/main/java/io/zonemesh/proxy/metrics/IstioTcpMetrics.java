package io.zonemesh.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.zonemesh.proxy.tcp.TcpConnectionRecord;
import io.zonemesh.proxy.tcp.TcpObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Istio's standard TCP metrics ({@code istio_tcp_sent_bytes_total},
 * {@code istio_tcp_received_bytes_total}, {@code istio_tcp_connections_opened_total},
 * {@code istio_tcp_connections_closed_total}) with {@link IstioTcpLabels}, one series per label
 * set, registered on first use. Bytes arrive as deltas, periodically and at close
 * ({@link io.zonemesh.proxy.tcp.TcpSession}).
 */
final class IstioTcpMetrics implements TcpObserver {
    private final MeterRegistry registry;
    private final IstioTcpLabels labels;
    private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

    IstioTcpMetrics(MeterRegistry registry, IstioTcpLabels labels) {
        this.registry = registry;
        this.labels = labels;
    }

    @Override
    public void onOpened(TcpConnectionRecord record) {
        series(record).opened.increment();
    }

    @Override
    public void onBytes(TcpConnectionRecord record, long received, long sent) {
        Series s = series(record);
        s.received.increment((double) received);
        s.sent.increment((double) sent);
    }

    @Override
    public void onClosed(TcpConnectionRecord record) {
        series(record).closed.increment();
    }

    private Series series(TcpConnectionRecord record) {
        return series.computeIfAbsent(labels.values(record), this::register);
    }

    private Series register(List<String> values) {
        Tags tags = labels.tags(values);
        return new Series(
                counter("istio_tcp_sent_bytes", "Bytes sent to the downstream during TCP connections", tags),
                counter("istio_tcp_received_bytes", "Bytes received from the downstream during TCP connections", tags),
                counter("istio_tcp_connections_opened", "TCP connections opened", tags),
                counter("istio_tcp_connections_closed", "TCP connections closed", tags));
    }

    private Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    private record Series(Counter sent, Counter received, Counter opened, Counter closed) {}
}
