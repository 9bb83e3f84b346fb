package io.zonemesh.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.HashConfig;
import io.zonemesh.lb.LbPolicy;
import io.zonemesh.lb.OutlierDetectionConfig;
import io.zonemesh.lb.ZoneAwareLbConfig;
import io.zonemesh.proxy.config.CircuitBreakerThresholds;
import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.DiscoveryType;
import io.zonemesh.proxy.config.DnsSettings;
import io.zonemesh.proxy.config.EndpointAssignment;
import io.zonemesh.proxy.config.UpstreamHttpOptions;
import io.zonemesh.proxy.config.TransportSocketMatch;
import io.zonemesh.proxy.config.UpstreamTls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates an Envoy Cluster (EDS over ADS, STATIC, or STRICT_DNS) and applies Envoy's defaults:
 * connect_timeout 5s, panic threshold 50% unless {@code common_lb_config.healthy_panic_threshold}
 * is set, outlier-detection defaults, unlimited requests per connection, a 1h idle timeout and a
 * 5s DNS refresh rate.
 */
final class ClusterParser {
    static final String HTTP_PROTOCOL_OPTIONS_KEY = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    static final String RAW_BUFFER = "envoy.transport_sockets.raw_buffer";
    static final String RAW_BUFFER_TYPE_URL =
            "type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer";

    private ClusterParser() {}

    // NullAway cannot see this parser's invariant: a part is null only when its parse recorded an
    // error, and the method returns null before building when the error count grew.
    @SuppressWarnings("NullAway")
    static @Nullable ClusterConfig parse(Cluster cluster, ValidationErrors errors) {
        int before = errors.count();
        if (cluster.getName().isEmpty()) {
            errors.add("name", "\"\"", "non-empty");
        }
        DiscoveryType type = discoveryType(cluster, errors);
        String serviceName = "";
        EndpointAssignment inline = null;
        DnsSettings dns = null;
        if (type == DiscoveryType.EDS) {
            checkAds(
                    cluster.getEdsClusterConfig().getEdsConfig(),
                    cluster.getEdsClusterConfig().hasEdsConfig(),
                    errors);
            serviceName = cluster.getEdsClusterConfig().getServiceName().isEmpty()
                    ? cluster.getName()
                    : cluster.getEdsClusterConfig().getServiceName();
        } else if (type != null) {
            if (!cluster.hasLoadAssignment()) {
                errors.add("load_assignment", "unset", "a load_assignment for a " + type + " cluster");
            } else {
                inline = EndpointParser.parse(
                        cluster.getLoadAssignment(), errors, "load_assignment.", type == DiscoveryType.STRICT_DNS);
            }
            if (type == DiscoveryType.STRICT_DNS) {
                dns = dnsSettings(cluster, errors);
            }
        }
        LbPolicy policy = lbPolicy(cluster, errors);
        double panicThreshold = ClusterConfig.DEFAULT_PANIC_THRESHOLD;
        Cluster.CommonLbConfig common = cluster.getCommonLbConfig();
        if (common.hasHealthyPanicThreshold()) {
            panicThreshold = common.getHealthyPanicThreshold().getValue();
            if (!(panicThreshold >= 0 && panicThreshold <= 100)) {
                errors.add("common_lb_config.healthy_panic_threshold", panicThreshold, "0..100");
            }
        }
        ZoneAwareLbConfig zoneAware = zoneAware(common, errors);
        boolean localityWeighted = common.hasLocalityWeightedLbConfig();
        OutlierDetectionConfig outlier = null;
        if (cluster.hasOutlierDetection()) {
            outlier = OutlierDetectionParser.parse(cluster.getOutlierDetection(), errors, "outlier_detection.");
        }
        Duration connectTimeout = ClusterConfig.DEFAULT_CONNECT_TIMEOUT;
        if (cluster.hasConnectTimeout()) {
            connectTimeout = ProtoValues.duration(cluster.getConnectTimeout(), errors, "connect_timeout");
            if (connectTimeout != null && connectTimeout.isZero()) {
                errors.add("connect_timeout", "0s", "> 0");
            }
        }
        UpstreamHttpOptions http = httpOptions(cluster, errors);
        UpstreamTls tls = null;
        if (cluster.hasTransportSocket()) {
            tls = upstreamSocket(cluster.getTransportSocket(), errors, "transport_socket");
        }
        List<TransportSocketMatch> socketMatches = new ArrayList<>();
        for (int i = 0; i < cluster.getTransportSocketMatchesCount(); i++) {
            Cluster.TransportSocketMatch match = cluster.getTransportSocketMatches(i);
            String path = "transport_socket_matches[" + i + "]";
            int beforeMatch = errors.count();
            UpstreamTls matchTls = match.hasTransportSocket()
                    ? upstreamSocket(match.getTransportSocket(), errors, path + ".transport_socket")
                    : null;
            if (!match.hasTransportSocket()) {
                errors.add(path + ".transport_socket", "unset", "a transport socket");
            }
            if (errors.count() == beforeMatch) {
                Map<String, String> fields = new HashMap<>();
                match.getMatch().getFieldsMap().forEach((key, value) -> fields.put(key, ProtoValues.text(value)));
                socketMatches.add(new TransportSocketMatch(match.getName(), fields, matchTls));
            }
        }
        if (cluster.hasLbSubsetConfig()) {
            errors.add("lb_subset_config", "set", "unset (subset load balancing is not supported by zonemesh-proxy)");
        }
        CircuitBreakerThresholds breakers = circuitBreakers(cluster, errors);
        HashConfig hash = hashConfig(cluster, errors);
        if (errors.count() > before) {
            return null;
        }
        return new ClusterConfig(
                cluster.getName(),
                type,
                serviceName,
                policy,
                panicThreshold,
                localityWeighted,
                outlier,
                connectTimeout,
                http,
                inline,
                dns,
                breakers,
                hash,
                tls,
                zoneAware,
                socketMatches);
    }

    /**
     * A cluster's (or a match's) transport socket: {@code envoy.transport_sockets.tls} with an
     * UpstreamTlsContext, or {@code envoy.transport_sockets.raw_buffer} (null: plaintext).
     */
    private static @Nullable UpstreamTls upstreamSocket(TransportSocket socket, ValidationErrors errors, String path) {
        if (socket.getName().equals(RAW_BUFFER)
                || (socket.hasTypedConfig() && socket.getTypedConfig().getTypeUrl().equals(RAW_BUFFER_TYPE_URL))) {
            return null;
        }
        return UpstreamTlsParser.parse(socket, errors, path);
    }

    /**
     * {@code common_lb_config.zone_aware_lb_config} with Envoy's defaults (routing 100 %, min
     * cluster size 6). The legacy message has no {@code force_local_zone} or {@code locality_basis}
     * ({@code localityLbConfigFromCommonLbConfig} copies only these three), so they stay off. It
     * takes effect only when the proxy has a local cluster ({@link io.zonemesh.proxy.snapshot.ClusterManager}).
     */
    private static ZoneAwareLbConfig zoneAware(Cluster.CommonLbConfig common, ValidationErrors errors) {
        ZoneAwareLbConfig defaults = ZoneAwareLbConfig.ENVOY_DEFAULTS;
        if (!common.hasZoneAwareLbConfig()) {
            return defaults;
        }
        Cluster.CommonLbConfig.ZoneAwareLbConfig zone = common.getZoneAwareLbConfig();
        int routingEnabled = defaults.routingEnabledPercent();
        if (zone.hasRoutingEnabled()) {
            double value = zone.getRoutingEnabled().getValue();
            if (!(value >= 0 && value <= 100)) {
                errors.add("common_lb_config.zone_aware_lb_config.routing_enabled", value, "0..100");
                return defaults;
            }
            // PROTOBUF_PERCENT_TO_ROUNDED_INTEGER_OR_DEFAULT
            routingEnabled = (int) Math.round(value);
        }
        long minClusterSize = defaults.minClusterSize();
        if (zone.hasMinClusterSize()) {
            // A uint64 above Long.MAX_VALUE is as good as infinite here.
            long raw = zone.getMinClusterSize().getValue();
            minClusterSize = raw < 0 ? Long.MAX_VALUE : raw;
        }
        return new ZoneAwareLbConfig(
                routingEnabled,
                minClusterSize,
                zone.getFailTrafficOnPanic(),
                false,
                0,
                ZoneAwareLbConfig.LocalityBasis.HEALTHY_HOSTS_NUM);
    }

    /**
     * The thresholds of priority DEFAULT (HIGH is for requests with {@code x-envoy-priority} or a
     * high-priority route, which zonemesh never emits), Envoy's defaults per unset field.
     */
    private static CircuitBreakerThresholds circuitBreakers(Cluster cluster, ValidationErrors errors) {
        CircuitBreakerThresholds defaults = CircuitBreakerThresholds.ENVOY_DEFAULTS;
        CircuitBreakers breakers = cluster.getCircuitBreakers();
        if (breakers.getPerHostThresholdsCount() > 0) {
            errors.add(
                    "circuit_breakers.per_host_thresholds",
                    breakers.getPerHostThresholdsCount() + " thresholds",
                    "none (not supported by zonemesh-proxy)");
        }
        for (int i = 0; i < breakers.getThresholdsCount(); i++) {
            CircuitBreakers.Thresholds t = breakers.getThresholds(i);
            if (t.getPriority() != RoutingPriority.DEFAULT) {
                continue;
            }
            if (t.hasRetryBudget()) {
                errors.add(
                        "circuit_breakers.thresholds[" + i + "].retry_budget",
                        "set",
                        "unset (retry budgets are not supported by zonemesh-proxy)");
            }
            return new CircuitBreakerThresholds(
                    ProtoValues.uint32(t.hasMaxConnections(), t.getMaxConnections(), defaults.maxConnections()),
                    ProtoValues.uint32(
                            t.hasMaxPendingRequests(), t.getMaxPendingRequests(), defaults.maxPendingRequests()),
                    ProtoValues.uint32(t.hasMaxRequests(), t.getMaxRequests(), defaults.maxRequests()),
                    ProtoValues.uint32(t.hasMaxRetries(), t.getMaxRetries(), defaults.maxRetries()));
        }
        return defaults;
    }

    /**
     * {@code dns_refresh_rate} (default 5s) and {@code dns_lookup_family}. {@code respect_dns_ttl}
     * has no separate effect: the JVM's resolver cache applies the TTLs it knows.
     */
    @SuppressWarnings("deprecation") // Envoy still honours Cluster.dns_refresh_rate; Istio sends it.
    private static @Nullable DnsSettings dnsSettings(Cluster cluster, ValidationErrors errors) {
        Duration refresh = DnsSettings.DEFAULT_REFRESH_RATE;
        if (cluster.hasDnsRefreshRate()) {
            refresh = ProtoValues.duration(cluster.getDnsRefreshRate(), errors, "dns_refresh_rate");
            if (refresh != null && refresh.toMillis() < 1) {
                errors.add("dns_refresh_rate", refresh, ">= 1ms");
                return null;
            }
        }
        DnsSettings.Family family = switch (cluster.getDnsLookupFamily()) {
            case AUTO -> DnsSettings.Family.AUTO;
            case V4_ONLY -> DnsSettings.Family.V4_ONLY;
            case V6_ONLY -> DnsSettings.Family.V6_ONLY;
            case V4_PREFERRED -> DnsSettings.Family.V4_PREFERRED;
            case ALL -> DnsSettings.Family.ALL;
            default -> {
                errors.add("dns_lookup_family", cluster.getDnsLookupFamily(), "a known DnsLookupFamily");
                yield null;
            }
        };
        return refresh == null || family == null ? null : new DnsSettings(refresh, family);
    }

    private static @Nullable DiscoveryType discoveryType(Cluster cluster, ValidationErrors errors) {
        if (cluster.getClusterDiscoveryTypeCase() == Cluster.ClusterDiscoveryTypeCase.CLUSTER_TYPE) {
            errors.add("cluster_type", cluster.getClusterType().getName(), "type EDS, STATIC or STRICT_DNS");
            return null;
        }
        // An unset type is STATIC, the proto's zero value.
        return switch (cluster.getType()) {
            case EDS -> DiscoveryType.EDS;
            case STATIC -> DiscoveryType.STATIC;
            case STRICT_DNS -> DiscoveryType.STRICT_DNS;
            default -> {
                errors.add("type", cluster.getType(), "EDS, STATIC or STRICT_DNS");
                yield null;
            }
        };
    }

    private static void checkAds(ConfigSource source, boolean present, ValidationErrors errors) {
        if (!present || source.getConfigSourceSpecifierCase() != ConfigSource.ConfigSourceSpecifierCase.ADS) {
            errors.add(
                    "eds_cluster_config.eds_config",
                    present ? source.getConfigSourceSpecifierCase() : "unset",
                    "ads {} (the proxy has one ADS stream)");
        }
    }

    /**
     * {@code ring_hash_lb_config} (minimum 1024, maximum 8M, xxHash only) and
     * {@code maglev_lb_config.table_size} (65537, prime), Envoy's defaults per unset field.
     */
    private static @Nullable HashConfig hashConfig(Cluster cluster, ValidationErrors errors) {
        HashConfig defaults = HashConfig.ENVOY_DEFAULTS;
        long min = defaults.minRingSize();
        long max = defaults.maxRingSize();
        int table = defaults.maglevTableSize();
        if (cluster.hasRingHashLbConfig()) {
            Cluster.RingHashLbConfig ring = cluster.getRingHashLbConfig();
            if (ring.hasMinimumRingSize()) {
                min = ring.getMinimumRingSize().getValue();
            }
            if (ring.hasMaximumRingSize()) {
                max = ring.getMaximumRingSize().getValue();
            }
            if (ring.getHashFunction() != Cluster.RingHashLbConfig.HashFunction.XX_HASH) {
                errors.add("ring_hash_lb_config.hash_function", ring.getHashFunction(), "XX_HASH");
            }
        }
        if (cluster.hasMaglevLbConfig() && cluster.getMaglevLbConfig().hasTableSize()) {
            table = (int) Math.min(
                    Integer.MAX_VALUE,
                    cluster.getMaglevLbConfig().getTableSize().getValue());
        }
        try {
            return new HashConfig(min, max, table);
        } catch (IllegalArgumentException e) {
            errors.add(
                    "ring_hash_lb_config/maglev_lb_config",
                    String.valueOf(e.getMessage()),
                    "valid ring and table sizes");
            return null;
        }
    }

    private static @Nullable LbPolicy lbPolicy(Cluster cluster, ValidationErrors errors) {
        if (cluster.hasLoadBalancingPolicy()) {
            errors.add("load_balancing_policy", "set", "unset; lb_policy ROUND_ROBIN, LEAST_REQUEST or RANDOM");
            return null;
        }
        return switch (cluster.getLbPolicy()) {
            case ROUND_ROBIN -> LbPolicy.ROUND_ROBIN;
            case LEAST_REQUEST -> LbPolicy.LEAST_REQUEST;
            case RANDOM -> LbPolicy.RANDOM;
            case RING_HASH -> LbPolicy.RING_HASH;
            case MAGLEV -> LbPolicy.MAGLEV;
            default -> {
                errors.add(
                        "lb_policy", cluster.getLbPolicy(), "ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH or MAGLEV");
                yield null;
            }
        };
    }

    /**
     * Connection reuse comes from {@code typed_extension_protocol_options[HttpProtocolOptions]},
     * falling back to the deprecated Cluster fields Envoy still honours.
     */
    @SuppressWarnings("deprecation") // Envoy still honours the deprecated Cluster fields.
    private static @Nullable UpstreamHttpOptions httpOptions(Cluster cluster, ValidationErrors errors) {
        io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions common = cluster.getCommonHttpProtocolOptions();
        boolean hasCommon = cluster.hasCommonHttpProtocolOptions();
        String path = "common_http_protocol_options";
        boolean http2 = false;
        Any typed = cluster.getTypedExtensionProtocolOptionsMap().get(HTTP_PROTOCOL_OPTIONS_KEY);
        if (typed != null) {
            String typedPath = "typed_extension_protocol_options[" + HTTP_PROTOCOL_OPTIONS_KEY + "]";
            HttpProtocolOptions options;
            try {
                options = typed.unpack(HttpProtocolOptions.class);
            } catch (InvalidProtocolBufferException e) {
                errors.add(
                        typedPath,
                        typed.getTypeUrl(),
                        "a valid " + HTTP_PROTOCOL_OPTIONS_KEY + " (" + e.getMessage() + ")");
                return null;
            }
            http2 = options.hasExplicitHttpConfig()
                    && options.getExplicitHttpConfig().hasHttp2ProtocolOptions();
            common = options.getCommonHttpProtocolOptions();
            hasCommon = options.hasCommonHttpProtocolOptions();
            path = typedPath + ".common_http_protocol_options";
        }
        int maxRequests = ProtoValues.uint32(
                cluster.hasMaxRequestsPerConnection(),
                cluster.getMaxRequestsPerConnection(),
                UpstreamHttpOptions.ENVOY_DEFAULTS.maxRequestsPerConnection());
        Duration idle = UpstreamHttpOptions.ENVOY_DEFAULTS.idleTimeout();
        Duration maxDuration = UpstreamHttpOptions.ENVOY_DEFAULTS.maxConnectionDuration();
        if (hasCommon) {
            if (common.hasMaxRequestsPerConnection()) {
                maxRequests = ProtoValues.uint32(true, common.getMaxRequestsPerConnection(), maxRequests);
            }
            if (common.hasIdleTimeout()) {
                idle = ProtoValues.duration(common.getIdleTimeout(), errors, path + ".idle_timeout");
            }
            if (common.hasMaxConnectionDuration()) {
                maxDuration = ProtoValues.duration(
                        common.getMaxConnectionDuration(), errors, path + ".max_connection_duration");
            }
        }
        return idle == null || maxDuration == null
                ? null
                : new UpstreamHttpOptions(maxRequests, idle, maxDuration, http2);
    }
}
