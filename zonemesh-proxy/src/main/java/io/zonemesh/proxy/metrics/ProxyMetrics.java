package io.zonemesh.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.FailoverReason;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.http.ProxyListener;
import io.zonemesh.proxy.http.RequestObserver;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.snapshot.CircuitBreakers;
import io.zonemesh.proxy.snapshot.ClusterManager;
import io.zonemesh.proxy.tcp.TcpObserver;
import io.zonemesh.proxy.xds.NodeIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's Prometheus metrics:
 * <ul>
 *   <li>{@code zonemesh_requests_total{direction, source_zone, destination_zone,
 *       destination_cluster, response_code}}</li>
 *   <li>{@code zonemesh_upstream_request_duration_seconds} histogram, Istio's duration buckets,
 *       for requests that reached a host</li>
 *   <li>per cluster: {@code zonemesh_cluster_hosts}, {@code zonemesh_cluster_ejected_hosts} and
 *       {@code zonemesh_outlier_ejections_total}</li>
 *   <li>per cluster, Envoy's load-balancer stats under Envoy's names ({@link LbStatsMeters}):
 *       {@code zonemesh_cluster_outlier_detection_ejections_active},
 *       {@code ..._ejections_enforced_total}, {@code ..._ejections_enforced_consecutive_5xx} and the
 *       other types, {@code ..._ejections_detected_*}, {@code ..._ejections_overflow},
 *       {@code zonemesh_cluster_lb_healthy_panic}</li>
 *   <li>{@code zonemesh_failover_events_total{cluster, reason}}: locality failovers of a cluster
 *       by {@link FailoverReason} (panic, outlier_ejection, priority_unhealthy)</li>
 *   <li>Istio's standard TCP metrics ({@link IstioTcpMetrics}) for tcp_proxy and passthrough
 *       connections</li>
 *   <li>Istio's standard metrics ({@link IstioStandardMetrics}) and Envoy's
 *       {@code envoy_cluster_upstream_rq_total{envoy_cluster_name}}</li>
 *   <li>per listener, Envoy's listener stat {@code downstream_cx_overflow}:
 *       {@code zonemesh_listener_downstream_cx_overflow_total{listener}}, connections refused at
 *       the listener's connection limit</li>
 * </ul>
 * Outbound requests come from this proxy's zone and go to the zone of the host picked; inbound
 * requests go to this proxy's zone (its application) and come from a caller whose zone the
 * proxy cannot know without a metadata exchange. Values that are unknown (no route, no host, a
 * host or caller without locality) are labelled {@code unknown}, as Istio's standard metrics do.
 */
public final class ProxyMetrics implements RequestObserver, ClusterManager.Listener {
    static final String UNKNOWN = "unknown";
    /** Istio's request-duration buckets, in milliseconds. */
    private static final Duration[] BUCKETS = buckets(
            1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000);

    private final PrometheusMeterRegistry registry;
    private final String localZone;
    private final Map<String, List<Meter>> clusterMeters = new ConcurrentHashMap<>();
    private final Map<String, Meter> listenerMeters = new ConcurrentHashMap<>();
    private final Map<FlowStatus, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Flow, Timer> timers = new ConcurrentHashMap<>();
    private final IstioStandardMetrics istio;
    private final IstioTcpMetrics istioTcp;
    private final Map<String, Counter> upstreamRequests = new ConcurrentHashMap<>();

    /**
     * Metrics of a proxy whose workload is known only by its zone: Istio's metrics label its own
     * side {@code unknown} but for the zone.
     *
     * @param localZone this proxy's zone, from its node locality ("" when unknown)
     */
    public ProxyMetrics(Clock clock, String localZone) {
        this(
                clock,
                localZone,
                new WorkloadPeer(
                        UNKNOWN,
                        UNKNOWN,
                        UNKNOWN,
                        UNKNOWN,
                        UNKNOWN,
                        UNKNOWN,
                        UNKNOWN,
                        UNKNOWN,
                        orUnknown(localZone),
                        UNKNOWN));
    }

    /** Metrics of the proxy of {@code node}'s workload, whose metadata labels Istio's metrics. */
    public ProxyMetrics(Clock clock, NodeIdentity node) {
        this(clock, node.zone(), WorkloadPeer.local(node, ""));
    }

    private ProxyMetrics(Clock clock, String localZone, WorkloadPeer local) {
        this.registry = new PrometheusMeterRegistry(
                PrometheusConfig.DEFAULT,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(),
                new MicrometerClock(clock));
        this.localZone = orUnknown(Objects.requireNonNull(localZone, "localZone"));
        this.istio = new IstioStandardMetrics(registry, new IstioLabels(local));
        this.istioTcp = new IstioTcpMetrics(registry, new IstioTcpLabels(local));
    }

    /** Istio's TCP metrics, for tcp_proxy and passthrough connections. */
    public TcpObserver tcpObserver() {
        return istioTcp;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void onRequestComplete(RequestRecord record) {
        istio.onRequestComplete(record);
        @Nullable String upstreamCluster = record.cluster();
        if (upstreamCluster != null && record.attempts() > 0) {
            // Envoy's cluster.<name>.upstream_rq_total counts requests sent upstream, retries included.
            upstreamRequests
                    .computeIfAbsent(upstreamCluster, this::upstreamRequestCounter)
                    .increment(record.attempts());
        }
        boolean inbound = record.direction() == Direction.INBOUND;
        String to = inbound ? localZone : orUnknown(record.upstreamZone());
        String cluster = record.cluster() == null ? UNKNOWN : record.cluster();
        // One map look-up per request instead of building tags and asking the registry each time:
        // a series' meter is registered once, on first use (BENCHMARKS.md, proxy profile).
        Flow flow = new Flow(record.direction(), to, cluster);
        counters.computeIfAbsent(new FlowStatus(flow, record.status()), this::counter)
                .increment();
        if (record.upstreamNanos() >= 0) {
            timers.computeIfAbsent(flow, this::timer).record(record.upstreamNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private Tags tags(Flow flow) {
        String from = flow.direction() == Direction.INBOUND ? UNKNOWN : localZone;
        return Tags.of(
                "direction",
                flow.direction().label(),
                "source_zone",
                from,
                "destination_zone",
                flow.destinationZone(),
                "destination_cluster",
                flow.cluster());
    }

    private Counter counter(FlowStatus key) {
        return Counter.builder("zonemesh.requests")
                .description("Requests handled, by direction, zones, destination cluster and response code")
                .tags(tags(key.flow()).and("response_code", Integer.toString(key.status())))
                .register(registry);
    }

    private Timer timer(Flow flow) {
        return Timer.builder("zonemesh.upstream.request.duration")
                .description("Time from sending a request upstream to its response")
                .tags(tags(flow))
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private Counter upstreamRequestCounter(String cluster) {
        return Counter.builder("envoy.cluster.upstream_rq")
                .description("Requests sent upstream, retries included (Envoy's upstream_rq_total)")
                .tags("envoy_cluster_name", cluster)
                .register(registry);
    }

    /** Direction, destination zone and cluster of a request. */
    private record Flow(Direction direction, String destinationZone, String cluster) {}

    private record FlowStatus(Flow flow, int status) {}

    @Override
    public void onClusterAdded(ActiveCluster cluster) {
        ClusterLoadBalancer balancer = cluster.loadBalancer();
        Tags tags = Tags.of("cluster", cluster.name());
        List<Meter> meters = new ArrayList<>(List.of(
                Gauge.builder(
                                "zonemesh.cluster.hosts",
                                balancer,
                                b -> b.status().size())
                        .description("Hosts of the cluster")
                        .tags(tags)
                        .strongReference(true)
                        .register(registry),
                Gauge.builder(
                                "zonemesh.cluster.ejected.hosts",
                                balancer,
                                b -> b.stats().ejectionsActive())
                        .description("Hosts currently ejected by outlier detection")
                        .tags(tags)
                        .strongReference(true)
                        .register(registry),
                // The balancer's own count: it survives hosts leaving and coming back.
                FunctionCounter.builder(
                                "zonemesh.outlier.ejections",
                                balancer,
                                b -> b.stats().ejectionsEnforcedTotal())
                        .description("Outlier ejections since the cluster appeared")
                        .tags(tags)
                        .register(registry)));
        meters.addAll(LbStatsMeters.register(registry, balancer, cluster.name()));
        for (FailoverReason reason : FailoverReason.values()) {
            meters.add(FunctionCounter.builder(
                            "zonemesh.failover.events", balancer, b -> b.stats().failovers(reason))
                    .description("Locality failovers: rebuilds that moved traffic off priority 0 or into panic")
                    .tags(tags.and("reason", reason.label()))
                    .register(registry));
        }
        CircuitBreakers breakers = cluster.breakers();
        for (CircuitBreakers.Resource resource : CircuitBreakers.Resource.values()) {
            meters.add(FunctionCounter.builder("zonemesh.cluster.overflows", breakers, b -> b.overflows(resource))
                    .description("Requests, retries and connections a circuit breaker refused (Envoy's "
                            + "upstream_cx_overflow, upstream_rq_pending_overflow, upstream_rq_retry_overflow)")
                    .tags(tags.and("resource", resource.label()))
                    .register(registry));
            meters.add(Gauge.builder(
                            "zonemesh.cluster.active",
                            breakers,
                            b -> resource.limit(b).count())
                    .description("Connections, pending requests, requests and retries a circuit breaker counts now")
                    .tags(tags.and("resource", resource.label()))
                    .strongReference(true)
                    .register(registry));
        }
        List<Meter> previous = clusterMeters.put(cluster.name(), meters);
        if (previous != null) {
            previous.forEach(registry::remove);
        }
    }

    @Override
    public void onClusterRemoved(String clusterName) {
        List<Meter> meters = clusterMeters.remove(clusterName);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    /**
     * Exports a listener's stats. A listener bound again under the same name (a gateway listener
     * rebound) replaces the earlier one's meter, whose count then starts from the new listener's.
     */
    public void onListenerAdded(ProxyListener listener) {
        // Micrometer hands back an existing meter of the same name and tags, still bound to the
        // old listener: the old one goes first.
        Meter previous = listenerMeters.remove(listener.name());
        if (previous != null) {
            registry.remove(previous);
        }
        listenerMeters.put(
                listener.name(),
                FunctionCounter.builder(
                                "zonemesh.listener.downstream_cx_overflow", listener, ProxyListener::overflowCount)
                        .description("Connections refused because the listener was at its connection limit "
                                + "(Envoy's listener downstream_cx_overflow)")
                        .tags(Tags.of("listener", listener.name()))
                        .register(registry));
    }

    private static Duration[] buckets(long... millis) {
        Duration[] buckets = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            buckets[i] = Duration.ofMillis(millis[i]);
        }
        return buckets;
    }

    private static String orUnknown(String value) {
        return value.isEmpty() ? UNKNOWN : value;
    }
}
