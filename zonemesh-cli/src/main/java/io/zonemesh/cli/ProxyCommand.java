package io.zonemesh.cli;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Locality;
import io.zonemesh.proxy.ProxyOptions;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.capture.CaptureMode;
import io.zonemesh.proxy.identity.CaClientOptions;
import io.zonemesh.proxy.status.AppProber;
import io.zonemesh.proxy.status.StatusServer;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ProxyType;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zonemesh proxy}: one proxy against any xDS control plane (ours, or another that serves
 * the shapes of docs/XDS_SHAPES.md), for a process outside the local mesh or a real host.
 */
@Command(
        name = "proxy",
        mixinStandardHelpOptions = true,
        description = "Run one zonemesh proxy (sidecar, or gateway with --gateway) that learns its config over xDS.")
final class ProxyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--xds",
            defaultValue = "127.0.0.1:15010",
            description = "Control plane ADS address (default ${DEFAULT-VALUE}).")
    String xds;

    @Option(names = "--pod", required = true, description = "This workload's pod (or WorkloadEntry) name.")
    String pod;

    @Option(
            names = {"-n", "--namespace"},
            defaultValue = "default",
            description = "Its namespace (default ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--owner", description = "Its Deployment (default: the pod name).")
    String owner;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A workload label (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(
            names = "--locality",
            defaultValue = "",
            description = "region/zone/subzone, if the control plane does not know it.")
    String locality;

    @Option(
            names = "--ip",
            defaultValue = "${env:INSTANCE_IP}",
            description = "This pod's IP (default: $INSTANCE_IP, as an injected pod has it); with it the node id is "
                    + "Istio's sidecar~IP~POD.NS~NS.svc.cluster.local.")
    String ip;

    @Option(names = "--gateway", description = "Run as a gateway (PROXY_TYPE router) instead of a sidecar.")
    boolean gateway;

    @Option(
            names = "--outbound",
            defaultValue = "127.0.0.1:15001",
            description = "Outbound (http_proxy) listener (default ${DEFAULT-VALUE}).")
    String outbound;

    @Option(names = "--inbound", description = "Inbound listener address, e.g. 127.0.0.1:15006 (default: none).")
    String inbound;

    @Option(
            names = "--capture",
            paramLabel = "MODE",
            description = "Transparent capture set up by 'zonemesh proxy-init': TPROXY or REDIRECT (default: none).")
    String capture;

    @Option(
            names = "--admin",
            defaultValue = "127.0.0.1:15000",
            description = "Admin address, loopback only (default ${DEFAULT-VALUE}).")
    String admin;

    @Option(
            names = "--status",
            paramLabel = "HOST:PORT",
            description = "Istio's status port: GET /healthz/ready answers 200 once the first xDS configuration "
                    + "is applied, 503 before and while shutting down (default: 0.0.0.0:15021 in a Kubernetes pod, "
                    + "where KUBERNETES_SERVICE_HOST is set; otherwise off; 'off' turns it off).")
    String status;

    @Option(
            names = "--stats",
            paramLabel = "HOST:PORT",
            description =
                    "Envoy's Prometheus listener in Istio's bootstrap: GET /stats/prometheus (default: "
                            + "0.0.0.0:15090 in a Kubernetes pod, otherwise off; 'off' turns it off). The --app-health port "
                            + "serves /stats/prometheus too (Istio's 15020, which the injector's prometheus.io annotations name).")
    String stats;

    @Option(
            names = "--app-health",
            paramLabel = "HOST:PORT",
            description = "Istio's agent status port (0.0.0.0:15020 in an injected pod): runs the application's "
                    + "probes that the injector rewrote to /app-health/<container>/<probe> (default: off).")
    String appHealth;

    @Option(
            names = "--app-probers",
            paramLabel = "JSON",
            defaultValue = "${env:ISTIO_KUBE_APP_PROBERS}",
            description = "The application's original probes by /app-health path (default: $ISTIO_KUBE_APP_PROBERS, "
                    + "which the injector sets).")
    String appProbers;

    @Option(
            names = "--request-headers-timeout",
            defaultValue = "PT10S",
            description = "Close a connection whose request headers are not complete this long after accept or "
                    + "their first byte (408, or no answer when nothing came), ISO-8601; PT0S: off (default 10s).")
    Duration requestHeadersTimeout;

    @Option(
            names = "--idle-timeout",
            defaultValue = "PT1H",
            description = "Close an HTTP/1.1 connection without a request for this long, ISO-8601; PT0S: off "
                    + "(default 1h, Envoy's).")
    Duration idleTimeout;

    @Option(
            names = "--max-connections",
            description = "Connections each listener holds at once; more get 503 'envoy overloaded' "
                    + "(default: one per 16 KiB of max heap, 1024..10000; 4096 with the launcher's 64 MB).")
    Integer maxConnections;

    @Option(
            names = "--ca-address",
            paramLabel = "HOST:PORT",
            description = "Istio-compatible CA (IstioCertificateService over TLS, istiod's 15012) to get this "
                    + "workload's certificate from, Istio's CA_ADDR (default: none; without it mTLS fails closed "
                    + "and plaintext works).")
    String caAddress;

    @Option(
            names = "--ca-root-cert",
            paramLabel = "FILE",
            defaultValue = "/var/run/secrets/istio/root-cert.pem",
            description = "PEM roots the CA's certificate chains to (default ${DEFAULT-VALUE}, the istio-ca-root-cert "
                    + "ConfigMap as injected pods mount it).")
    Path caRootCert;

    @Option(
            names = "--ca-server-name",
            paramLabel = "NAME",
            description = "Name the CA's certificate must carry (default: the host of --ca-address), e.g. "
                    + "istiod.istio-system.svc.")
    String caServerName;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            defaultValue = "/var/run/secrets/tokens/istio-token",
            description = "Credential sent to the CA as 'authorization: Bearer', re-read on every request (default "
                    + "${DEFAULT-VALUE}, the projected istio-ca token).")
    Path tokenFile;

    @Option(
            names = "--cluster-id",
            paramLabel = "ID",
            description = "Cluster sent to the CA as ClusterID metadata (default Kubernetes) and, when given, to "
                    + "the control plane as node metadata CLUSTER_ID (else the control plane's own cluster): "
                    + "Istio's ISTIO_META_CLUSTER_ID.")
    @Nullable
    String clusterId;

    @Option(
            names = "--network",
            paramLabel = "NAME",
            defaultValue = "",
            description = "Network this proxy's workload is on, sent as node metadata NETWORK (Istio's "
                    + "ISTIO_META_NETWORK): endpoints on other networks are reached through their east-west gateway.")
    String network;

    @Option(
            names = "--requested-network-view",
            paramLabel = "NET[,NET...]",
            defaultValue = "",
            description = "For a gateway: only endpoints on these networks (node metadata REQUESTED_NETWORK_VIEW, "
                    + "Istio's ISTIO_META_REQUESTED_NETWORK_VIEW).")
    String requestedNetworkView;

    @Option(
            names = "--key-algorithm",
            paramLabel = "ECDSA|RSA",
            defaultValue = "ECDSA",
            description = "Workload key: ECDSA P-256 or RSA 2048 (Istio's ECC_SIGNATURE_ALGORITHM; default "
                    + "${DEFAULT-VALUE}).")
    String keyAlgorithm;

    @Option(
            names = "--cert-ttl",
            paramLabel = "DURATION",
            defaultValue = "24h",
            description = "Requested certificate lifetime, Istio's SECRET_TTL: 24h, 90m, 3600s or ISO-8601 "
                    + "(default ${DEFAULT-VALUE}); rotated at half of it.")
    String certTtl;

    /** Released by the JVM's shutdown hook, or by {@link #stop()} when embedded (tests). */
    private final CountDownLatch stopped = new CountDownLatch(1);

    void stop() {
        stopped.countDown();
    }

    @Override
    public Integer call() throws Exception {
        Locality loc = Locality.parse(locality);
        NodeIdentity node = NodeIdentity.sidecar(pod, namespace, owner == null ? pod : owner)
                .withLabels(labels)
                .withLocality(loc.region(), loc.zone(), loc.subzone())
                .withProxyType(gateway ? ProxyType.ROUTER : ProxyType.SIDECAR)
                // Unset stays unset in the node metadata, so that a proxy started without the flag
                // is placed in the control plane's cluster rather than in "Kubernetes".
                .withMultiCluster(clusterId == null ? "" : clusterId, network, requestedNetworkView);
        if (ip != null && !ip.isEmpty()) {
            node = node.withIstioId(ip, "cluster.local");
        }
        ProxyOptions.Builder builder = ZonemeshProxy.builder();
        if (caAddress != null) {
            builder.ca(caOptions());
        }
        if (maxConnections != null) {
            builder.maxConnectionsPerListener(maxConnections);
        }
        InetSocketAddress statusAddress = statusAddress(status == null ? statusDefault(System.getenv()) : status);
        // The status port answers for the proxy, and 503 until it is built and ready; it closes
        // after the proxy so that probes see 503 (not a refused connection) while it drains.
        AtomicReference<@Nullable ZonemeshProxy> running = new AtomicReference<>();
        BooleanSupplier ready = () -> {
            ZonemeshProxy p = running.get();
            return p != null && p.ready();
        };
        AppProber prober = new AppProber(AppProbersJson.parse(appProbers == null ? "" : appProbers), ip);
        Supplier<String> metrics = () -> {
            ZonemeshProxy p = running.get();
            return p == null ? "" : p.metrics().scrape();
        };
        String statsValue = stats == null ? statsDefault(System.getenv()) : stats;
        try (StatusServer statusServer = statusAddress == null ? null : StatusServer.start(statusAddress, ready);
                StatusServer appHealthServer = appHealth == null
                        ? null
                        : StatusServer.start(address("--app-health", appHealth), ready, prober, metrics);
                StatusServer statsServer = statsValue == null || statsValue.equals("off")
                        ? null
                        : StatusServer.startStats(address("--stats", statsValue), metrics);
                ZonemeshProxy proxy = builder.xdsServer(xds)
                        .node(node)
                        .outboundAddress(address("--outbound", outbound))
                        .inboundAddress(inbound == null ? null : address("--inbound", inbound))
                        .adminAddress(address("--admin", admin))
                        .requestHeadersTimeout(requestHeadersTimeout)
                        .idleTimeout(idleTimeout)
                        .capture(capture == null ? null : CaptureMode.parse(capture))
                        .build()
                        .start()) {
            running.set(proxy);
            PrintWriter out = spec.commandLine().getOut();
            out.println("zonemesh proxy " + node.id() + ": outbound 127.0.0.1:" + proxy.outboundPort()
                    + (inbound == null ? "" : ", inbound " + proxy.inboundPort()) + ", admin http://127.0.0.1:"
                    + proxy.adminPort() + "/"
                    + (statusServer == null ? "" : ", status :" + statusServer.port() + StatusServer.READY_PATH)
                    + (statsServer == null ? "" : ", stats :" + statsServer.port() + StatusServer.STATS_PATH)
                    + " ; xDS from " + xds
                    + (caAddress == null ? "" : "; certificates from CA " + caAddress) + "; transport "
                    + proxy.transport().name().toLowerCase(Locale.ROOT));
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "zonemesh-proxy-shutdown"));
            stopped.await();
            if (statusServer != null) {
                statusServer.drain();
            }
            if (appHealthServer != null) {
                appHealthServer.drain();
            }
        }
        return 0;
    }

    /** {@code --stats}'s default: Envoy's 15090 inside a Kubernetes pod, none elsewhere. */
    static @Nullable String statsDefault(Map<String, String> env) {
        return env.containsKey("KUBERNETES_SERVICE_HOST") ? "0.0.0.0:15090" : null;
    }

    /** {@code --status}'s default: Istio's 15021 inside a Kubernetes pod, none elsewhere. */
    static @Nullable String statusDefault(Map<String, String> env) {
        return env.containsKey("KUBERNETES_SERVICE_HOST") ? "0.0.0.0:15021" : null;
    }

    private @Nullable InetSocketAddress statusAddress(@Nullable String value) {
        return value == null || value.equals("off") ? null : address("--status", value);
    }

    /** The CA client settings from the --ca-* flags; every bad value is a usage error naming its flag. */
    CaClientOptions caOptions() {
        InetSocketAddress ca = address("--ca-address", caAddress);
        if (ca.getPort() == 0) {
            throw usage("--ca-address: '" + caAddress + "' (expected: host:port, port 1..65535)");
        }
        List<X509Certificate> roots;
        try {
            roots = Pem.certificates(Files.readString(caRootCert, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw usage("--ca-root-cert: " + caRootCert + ": cannot read (" + e + ")");
        } catch (IllegalArgumentException e) {
            throw usage("--ca-root-cert: " + caRootCert + ": " + e.getMessage());
        }
        if (roots.isEmpty()) {
            throw usage("--ca-root-cert: " + caRootCert + ": no certificate (expected: PEM CERTIFICATE blocks)");
        }
        if (!Files.isReadable(tokenFile)) {
            throw usage("--token-file: " + tokenFile + ": not a readable file (expected: the istio-ca token)");
        }
        Path token = tokenFile;
        KeyAlgorithm algorithm = switch (keyAlgorithm.toUpperCase(Locale.ROOT)) {
            case "ECDSA" -> KeyAlgorithm.ECDSA_P256;
            case "RSA" -> KeyAlgorithm.RSA_2048;
            default -> throw usage("--key-algorithm: '" + keyAlgorithm + "' (expected: ECDSA or RSA)");
        };
        Duration ttl = ttl(certTtl);
        return new CaClientOptions(
                caAddress,
                roots,
                caServerName != null ? caServerName : ca.getHostString(),
                () -> {
                    try {
                        return Files.readString(token, StandardCharsets.UTF_8).trim();
                    } catch (IOException e) {
                        throw new UncheckedIOException("--token-file " + token + ": " + e.getMessage(), e);
                    }
                },
                clusterId == null ? "Kubernetes" : clusterId,
                algorithm,
                ttl);
    }

    /** Istio's Go-style {@code 24h}, {@code 90m}, {@code 3600s}, or ISO-8601; positive. */
    private Duration ttl(String value) {
        Duration parsed = null;
        try {
            if (value.matches("\\d+[hms]")) {
                long amount = Long.parseLong(value.substring(0, value.length() - 1));
                parsed = switch (value.charAt(value.length() - 1)) {
                    case 'h' -> Duration.ofHours(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    default -> Duration.ofSeconds(amount);
                };
            } else {
                parsed = Duration.parse(value);
            }
        } catch (RuntimeException e) {
            parsed = null;
        }
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            throw usage("--cert-ttl: '" + value + "' (expected: a positive duration such as 24h, 90m or PT12H)");
        }
        return parsed;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private InetSocketAddress address(String option, String value) {
        return HostPortOption.parse(spec, option, value);
    }
}
