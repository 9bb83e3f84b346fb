package io.zonemesh.cli.mesh;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.cli.echo.EchoServer;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.Poll;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ClusterSettings;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.controlplane.ControlPlane;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.istio.GatewayConfig;
import io.zonemesh.model.istio.WorkloadSelector;
import io.zonemesh.proxy.Transport;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ProxyType;
import io.zonemesh.registry.EndpointAddressing;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.CertificateAuthority;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * A whole mesh on one machine from the YAML a user would apply to Kubernetes: the control
 * plane, an echo application for every emulated pod and a sidecar for every injected one, all
 * on 127.0.0.1 with ports the kernel picks, every proxy talking to the control plane over real
 * gRPC. Pods are started when the registry plans them and stopped when they disappear, so
 * {@link #apply} behaves like {@code kubectl apply}.
 *
 * <p>The control plane is the mesh's CA ({@link MeshIdentity}): every sidecar and gateway gets a
 * bootstrap credential for its pod's service account and fetches its certificate over the
 * control plane's TLS port, so calls between sidecars are mutual TLS (Istio's auto mTLS) and
 * PeerAuthentication in the YAML decides what each inbound port accepts. A sidecar binds one
 * inbound socket per application port of its pod (there is no iptables capture to tell it the
 * port a caller meant), and the endpoints of that port point at that socket.
 */
public final class LocalMesh implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    /** Istio's gateway env var ({@code gen-eastwest-gateway.sh} sets it) for the node's REQUESTED_NETWORK_VIEW. */
    static final String REQUESTED_NETWORK_VIEW_ENV = "ISTIO_META_REQUESTED_NETWORK_VIEW";

    private final EventLoopGroup group;
    private final RandomSource random;
    private final Map<String, PodRuntime> pods = new LinkedHashMap<>();
    private final MeshRegistry registry;
    private final MeshIdentity identity;
    private final ControlPlane controlPlane;
    /** The cluster this mesh is in {@code zonemesh up --cluster}, or null for the one-cluster mesh. */
    private final @Nullable ClusterSettings cluster;

    /**
     * Starts everything or nothing: when a step fails (the control plane's port in use, a proxy
     * that cannot start), the pods, control plane and event loops started so far are stopped
     * before the exception leaves.
     */
    private LocalMesh(
            MeshConfigBundle bundle,
            RandomSource random,
            EventLoopGroup group,
            InetSocketAddress statusAddress,
            MeshIdentity.Options identityOptions,
            @Nullable ClusterSettings cluster,
            @Nullable CertificateAuthority clusterCa)
            throws IOException {
        this.group = group;
        this.random = random;
        this.cluster = cluster;
        ControlPlane started = null;
        try {
            // A broken cacerts Secret fails the start here, before anything listens.
            this.identity = MeshIdentity.create(bundle, identityOptions, Clock.system(), new SecureRandom(), clusterCa);
            // The control plane must be listening before sidecars start, so the registry starts
            // empty and the real configuration is applied once the xDS port is known.
            this.registry = new MeshRegistry(settings(cluster), MeshConfigBundle.EMPTY, this::schedule);
            started = ControlPlane.builder(registry)
                    .xdsAddress(new InetSocketAddress(HOST, 0))
                    .debugAddress(statusAddress)
                    .tls(new InetSocketAddress(HOST, 0), identity.ca(), identity.tokens())
                    .start();
            this.controlPlane = started;
            registry.apply(bundle);
        } catch (IOException | RuntimeException | Error e) {
            stop(started);
            throw e;
        }
    }

    /**
     * Starts a mesh.
     *
     * @param random the proxies' load-balancing randomness ({@link RandomSource#system()} unless a
     *     demo or test wants repeatable picks)
     */
    public static LocalMesh start(MeshConfigBundle bundle, RandomSource random) throws IOException {
        return start(
                bundle,
                random,
                new InetSocketAddress(HOST, 0),
                Transport.preferred().newGroup(2, new DefaultThreadFactory("zonemesh-mesh")));
    }

    /**
     * A mesh whose control plane serves its status port on {@code statusAddress}, on event loops of
     * {@code group}, which it owns from here on: it is shut down on close, and also when the start
     * fails.
     */
    static LocalMesh start(
            MeshConfigBundle bundle, RandomSource random, InetSocketAddress statusAddress, EventLoopGroup group)
            throws IOException {
        return start(bundle, random, statusAddress, group, MeshIdentity.Options.DEFAULT);
    }

    /** A mesh whose sidecars ask for certificates of {@code certificateTtl} (tests: rotation). */
    public static LocalMesh start(MeshConfigBundle bundle, RandomSource random, Duration certificateTtl)
            throws IOException {
        return start(
                bundle,
                random,
                new InetSocketAddress(HOST, 0),
                Transport.preferred().newGroup(2, new DefaultThreadFactory("zonemesh-mesh")),
                MeshIdentity.Options.DEFAULT.withCertificateTtl(certificateTtl));
    }

    static LocalMesh start(
            MeshConfigBundle bundle,
            RandomSource random,
            InetSocketAddress statusAddress,
            EventLoopGroup group,
            MeshIdentity.Options identityOptions)
            throws IOException {
        return new LocalMesh(bundle, random, group, statusAddress, identityOptions, null, null);
    }

    /**
     * One cluster of {@code zonemesh up --cluster}: its registry's endpoints carry the cluster's
     * name and network, its proxies' node metadata the same ({@code CLUSTER_ID}, {@code NETWORK},
     * {@code REQUESTED_NETWORK_VIEW} from the pod's {@code ISTIO_META_REQUESTED_NETWORK_VIEW}), and
     * it signs with {@code clusterCa} unless its YAML holds a {@code cacerts} Secret.
     */
    public static LocalMesh startCluster(
            MeshConfigBundle bundle,
            RandomSource random,
            Duration certificateTtl,
            ClusterSettings cluster,
            CertificateAuthority clusterCa)
            throws IOException {
        return new LocalMesh(
                bundle,
                random,
                Transport.preferred().newGroup(2, new DefaultThreadFactory("zonemesh-" + cluster.clusterName())),
                new InetSocketAddress(HOST, 0),
                MeshIdentity.Options.DEFAULT.withCertificateTtl(certificateTtl),
                cluster,
                clusterCa);
    }

    private static MeshSettings settings(@Nullable ClusterSettings cluster) {
        return cluster == null ? MeshSettings.DEFAULT : cluster.applyTo(MeshSettings.DEFAULT);
    }

    /** The cluster of {@code zonemesh up --cluster}, or null for the one-cluster mesh. */
    public @Nullable ClusterSettings cluster() {
        return cluster;
    }

    /**
     * Applies a new configuration; pods that appear start, pods that disappear stop. A changed
     * {@code cacerts} Secret replaces the CA.
     *
     * @throws IllegalArgumentException when a changed {@code cacerts} Secret does not load; the rest
     *     of the configuration is applied and the CA in use stays
     */
    public void apply(MeshConfigBundle bundle) {
        registry.apply(bundle);
        identity.apply(bundle);
    }

    /** The CA the mesh's certificates come from now (tests and {@code zonemesh up}'s summary). */
    public io.zonemesh.security.ca.CertificateAuthority ca() {
        return identity.ca().get();
    }

    public MeshRegistry registry() {
        return registry;
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    /** Planned pods of a Deployment, in plan order. */
    public synchronized List<PodInstance> podsOf(String namespace, String owner) {
        List<PodInstance> out = new ArrayList<>();
        for (PodRuntime r : pods.values()) {
            if (r.pod.namespace().equals(namespace) && r.pod.owner().equals(owner)) {
                out.add(r.pod);
            }
        }
        return out;
    }

    /** The sidecar of the first pod of {@code namespace/owner} (a Deployment or pod name), or null. */
    public synchronized @Nullable ZonemeshProxy sidecarOf(String namespace, String owner) {
        for (PodRuntime r : pods.values()) {
            if (r.pod.namespace().equals(namespace)
                    && (r.pod.owner().equals(owner) || r.pod.name().equals(owner))
                    && r.proxy != null) {
                return r.proxy;
            }
        }
        return null;
    }

    /** The application servers of every pod of a Deployment, to stop and restart them. */
    public synchronized List<EchoServer> appsOf(String namespace, String owner) {
        List<EchoServer> out = new ArrayList<>();
        for (PodRuntime r : pods.values()) {
            if (r.pod.namespace().equals(namespace) && r.pod.owner().equals(owner)) {
                out.addAll(r.apps.values());
            }
        }
        return out;
    }

    /** The locality of a pod by name, or empty (used to label responses by where they came from). */
    public synchronized Locality localityOfPod(String podName) {
        for (PodRuntime r : pods.values()) {
            if (r.pod.name().equals(podName)) {
                return r.pod.locality();
            }
        }
        return Locality.EMPTY;
    }

    /** What {@code zonemesh up} records for other commands. */
    public synchronized MeshStateFile describe(String configDir) {
        List<MeshStateFile.Proxy> proxies = new ArrayList<>();
        List<MeshStateFile.App> apps = new ArrayList<>();
        for (PodRuntime r : pods.values()) {
            PodInstance p = r.pod;
            if (r.proxy != null) {
                proxies.add(new MeshStateFile.Proxy(
                        p.namespace(),
                        p.name(),
                        p.owner(),
                        p.locality().toString(),
                        r.proxy.outboundPort(),
                        r.gateway ? -1 : r.proxy.inboundPort(),
                        r.proxy.adminPort(),
                        r.gateway,
                        gatewayListeners(r.proxy),
                        p.labels(),
                        r.gateway ? Map.of() : inboundPorts(r),
                        MeshIdentity.identity(p).uri(),
                        cluster == null ? "" : cluster.clusterName()));
            }
            r.apps.forEach((target, app) -> apps.add(new MeshStateFile.App(
                    p.namespace(), p.name(), p.owner(), p.locality().toString(), app.port(), p.sidecar())));
        }
        List<MeshStateFile.Gateway> gateways = new ArrayList<>();
        for (GatewayConfig g : registry.bundle().istio().gateways()) {
            gateways.add(
                    new MeshStateFile.Gateway(g.meta().namespace(), g.meta().name(), g.selector()));
        }
        return new MeshStateFile(
                ProcessHandle.current().pid(),
                configDir,
                controlPlane.xdsPort(),
                controlPlane.debugPort(),
                controlPlane.xdsTlsPort(),
                proxies,
                apps,
                gateways);
    }

    /**
     * Waits until every proxy has ACKed the current mesh version, holds its workload certificate
     * (mTLS between sidecars needs it on both ends) and, for a gateway, has bound the listeners its
     * config names.
     */
    public void awaitConverged(Duration timeout) throws TimeoutException, InterruptedException {
        long version = registry.state().version();
        int proxies;
        synchronized (this) {
            proxies = (int) pods.values().stream().filter(r -> r.proxy != null).count();
        }
        Poll.until(
                () -> controlPlane.converged(version, proxies) && gatewaysBound() && certificatesIssued(),
                timeout,
                Duration.ofMillis(20),
                proxies + " proxies to ACK mesh version " + version + " and hold their certificates");
    }

    private synchronized boolean certificatesIssued() {
        for (PodRuntime r : pods.values()) {
            if (r.proxy != null && r.proxy.workloadSecrets().current() == null) {
                return false;
            }
        }
        return true;
    }

    private synchronized boolean gatewaysBound() {
        for (PodRuntime r : pods.values()) {
            if (r.gateway && r.proxy != null) {
                for (String name : r.proxy.snapshot().resources().listeners().keySet()) {
                    if (!name.equals(ZonemeshProxy.OUTBOUND_LISTENER)
                            && !name.equals(ZonemeshProxy.INBOUND_LISTENER)
                            && r.proxy.listenerPort(name) <= 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** A sidecar's bound inbound socket by application port (8080 → 41234). */
    private static Map<Integer, Integer> inboundPorts(PodRuntime r) {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        ZonemeshProxy proxy = Objects.requireNonNull(r.proxy, "a sidecar pod runs a proxy");
        for (int appPort : r.appPorts) {
            out.put(appPort, proxy.inboundPort(appPort));
        }
        return out;
    }

    /** Bound ports of a gateway's xDS listeners by Gateway port ({@code 0.0.0.0_80} → 80). */
    private static Map<Integer, Integer> gatewayListeners(ZonemeshProxy proxy) {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        for (String name : proxy.snapshot().resources().listeners().keySet()) {
            ListenerConfig l = proxy.snapshot().listener(name);
            if (l == null) {
                continue;
            }
            int bound = proxy.listenerPort(l.name());
            if (bound > 0 && l.address() != null) {
                out.put(l.address().getPort(), bound);
            }
        }
        return out;
    }

    /**
     * The registry's addressing callback: makes the planned pods run (starting new ones, stopping
     * gone ones) and answers with the sockets they bound. Runs on the thread that applied config.
     */
    private synchronized EndpointAddressing schedule(MeshConfigBundle config, List<PodInstance> planned) {
        Set<String> keep = new HashSet<>();
        for (PodInstance pod : planned) {
            keep.add(PodRuntime.key(pod));
            PodRuntime existing = pods.get(PodRuntime.key(pod));
            if (existing != null
                    && (existing.pod.sidecar() != pod.sidecar()
                            || (existing.proxy != null
                                    && !existing.gateway
                                    && !existing.appPorts.equals(AppPorts.of(config, pod))))) {
                // A sidecar binds its inbound sockets at start: a Service that now sends it another
                // port restarts the pod (on Kubernetes the capture already covers every port).
                existing.close();
                pods.remove(existing.key());
                existing = null;
            }
            if (existing == null) {
                PodRuntime r = new PodRuntime(pod);
                pods.put(r.key(), r);
                if (isGateway(config, pod)) {
                    r.gateway = true;
                    r.proxy = startProxy(config, pod, ProxyType.ROUTER, List.of());
                } else if (pod.sidecar()) {
                    r.appPorts = AppPorts.of(config, pod);
                    r.proxy = startProxy(config, pod, ProxyType.SIDECAR, r.appPorts);
                }
            } else {
                existing.pod = pod; // labels may change without a restart, as on Kubernetes
            }
        }
        Set<SpiffeId> gone = new HashSet<>();
        pods.entrySet().removeIf(e -> {
            if (!keep.contains(e.getKey())) {
                e.getValue().close();
                gone.add(MeshIdentity.identity(e.getValue().pod));
                return true;
            }
            return false;
        });
        // A stopped pod's credential stops working once no pod of its service account is left.
        pods.values().forEach(r -> gone.remove(MeshIdentity.identity(r.pod)));
        gone.forEach(identity.tokens()::revoke);
        return new Addressing();
    }

    /** Whether a Gateway's selector picks this pod: it then runs a gateway proxy instead of an app. */
    private static boolean isGateway(MeshConfigBundle config, PodInstance pod) {
        for (GatewayConfig g : config.istio().gateways()) {
            if (!g.selector().isEmpty() && new WorkloadSelector(g.selector()).matches(pod.labels())) {
                return true;
            }
        }
        return false;
    }

    private ZonemeshProxy startProxy(MeshConfigBundle config, PodInstance pod, ProxyType type, List<Integer> appPorts) {
        try {
            NodeIdentity node = NodeIdentity.sidecar(pod.name(), pod.namespace(), pod.owner())
                    .withLabels(pod.labels())
                    .withLocality(
                            pod.locality().region(),
                            pod.locality().zone(),
                            pod.locality().subzone())
                    .withProxyType(type);
            if (cluster != null) {
                String network = pod.network().isEmpty() ? cluster.network() : pod.network();
                node = node.withMultiCluster(
                        cluster.clusterName(), network, pod.env().getOrDefault(REQUESTED_NETWORK_VIEW_ENV, ""));
            }
            String clusterId = cluster == null ? MeshSettings.DEFAULT.clusterName() : cluster.clusterName();
            GatewayBinding binding = GatewayBinding.of(config, pod);
            Map<Integer, InetSocketAddress> inbound = new LinkedHashMap<>();
            for (int port : appPorts) {
                inbound.put(port, new InetSocketAddress(HOST, 0));
            }
            return ZonemeshProxy.builder()
                    .xdsServer(HOST + ":" + controlPlane.xdsPort())
                    .node(node)
                    .ca(identity.clientOptions(pod, new InetSocketAddress(HOST, controlPlane.xdsTlsPort()), clusterId))
                    .outboundAddress(new InetSocketAddress(HOST, 0))
                    // A sidecar without application ports keeps the single inbound socket.
                    .inboundAddress(
                            type == ProxyType.ROUTER || !appPorts.isEmpty() ? null : new InetSocketAddress(HOST, 0))
                    .inboundAddresses(inbound)
                    .adminAddress(new InetSocketAddress(HOST, 0))
                    .eventLoopGroup(group)
                    .random(random)
                    // Gateway listeners (0.0.0.0_80, ...) bind 127.0.0.1 on a port the kernel picks;
                    // `zonemesh send --gateway` finds them through the state file.
                    // A LoadBalancer Service's 127.x loadBalancerIP puts them on that address and their
                    // own port instead, where other clusters' YAML names the gateway.
                    .gatewayAddresses(address -> binding.bind(address, HOST))
                    .build()
                    .start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the proxy of " + pod.namespace() + "/" + pod.name(), e);
        }
    }

    private synchronized EchoServer app(PodInstance pod, int targetPort) {
        PodRuntime r = pods.get(PodRuntime.key(pod));
        if (r == null) {
            throw new IllegalStateException("pod not scheduled: " + PodRuntime.key(pod));
        }
        return r.apps.computeIfAbsent(targetPort, port -> {
            EchoServer server = new EchoServer(group, PodRuntime.version(pod), pod.name());
            try {
                server.start(HOST, 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + pod.name(), e);
            }
            return server;
        });
    }

    /** Addresses of the running pods; an application socket is bound the first time it is asked for. */
    private final class Addressing implements EndpointAddressing {
        @Override
        public HostPort endpoint(PodInstance pod, int targetPort) {
            synchronized (LocalMesh.this) {
                PodRuntime r = pods.get(PodRuntime.key(pod));
                if (r != null && r.gateway) {
                    // In-mesh callers of a gateway's Service reach its outbound listener: its Gateway
                    // listeners bind only once xDS arrives, after the endpoints are published.
                    return new HostPort(
                            HOST,
                            Objects.requireNonNull(r.proxy, "a gateway pod runs a proxy")
                                    .outboundPort());
                }
                HostPort app = application(pod, targetPort);
                if (r != null && r.proxy != null) {
                    // Callers reach an injected pod through its sidecar's inbound socket for this
                    // port, which gives the connection this destination port for chain matching.
                    int inbound = r.appPorts.contains(targetPort) ? r.proxy.inboundPort(targetPort) : -1;
                    return new HostPort(HOST, inbound > 0 ? inbound : r.proxy.inboundPort());
                }
                return app;
            }
        }

        @Override
        public HostPort application(PodInstance pod, int targetPort) {
            synchronized (LocalMesh.this) {
                PodRuntime r = pods.get(PodRuntime.key(pod));
                if (r != null && r.gateway) {
                    return new HostPort(
                            HOST,
                            Objects.requireNonNull(r.proxy, "a gateway pod runs a proxy")
                                    .outboundPort()); // a gateway pod runs no application
                }
            }
            return new HostPort(HOST, app(pod, targetPort).port());
        }

        @Override
        public String podIp(PodInstance pod) {
            return HOST;
        }
    }

    @Override
    public void close() {
        stop(controlPlane);
    }

    /** Stops pods, then the control plane (null when it never started), then the event loops. */
    private void stop(@Nullable ControlPlane cp) {
        try {
            synchronized (this) {
                pods.values().forEach(PodRuntime::close);
                pods.clear();
            }
            if (cp != null) {
                cp.close();
            }
        } finally {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS)
                    .syncUninterruptibly();
        }
    }
}
