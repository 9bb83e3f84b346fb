package io.zonemesh.cli.mesh;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.zonemesh.cli.echo.EchoServer;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.controlplane.ControlPlane;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.registry.EndpointAddressing;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.config.placement.PodInstance;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whole mesh on one machine from the YAML a user would apply to Kubernetes: the control
 * plane, an echo application for every emulated pod and a sidecar for every injected one, all
 * on 127.0.0.1 with ports the kernel picks, every proxy talking to the control plane over real
 * gRPC. Pods are started when the registry plans them and stopped when they disappear, so
 * {@link #apply} behaves like {@code kubectl apply}.
 */
public final class LocalMesh implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    private final EventLoopGroup group;
    private final RandomSource random;
    private final Map<String, PodRuntime> pods = new LinkedHashMap<>();
    private final MeshRegistry registry;
    private final ControlPlane controlPlane;

    private LocalMesh(MeshConfigBundle bundle, RandomSource random, int ioThreads) throws IOException {
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        this.random = random;
        // The control plane must be listening before sidecars start, so the registry starts
        // empty and the real configuration is applied once the xDS port is known.
        this.registry = new MeshRegistry(MeshSettings.DEFAULT, MeshConfigBundle.EMPTY, this::schedule);
        this.controlPlane = ControlPlane.builder(registry)
                .xdsAddress(new InetSocketAddress(HOST, 0))
                .debugAddress(new InetSocketAddress(HOST, 0))
                .start();
        registry.apply(bundle);
    }

    /**
     * Starts a mesh.
     *
     * @param random the proxies' load-balancing randomness ({@link RandomSource#system()} unless a
     *     demo or test wants repeatable picks)
     */
    public static LocalMesh start(MeshConfigBundle bundle, RandomSource random) throws IOException {
        return new LocalMesh(bundle, random, 2);
    }

    /** Applies a new configuration; pods that appear start, pods that disappear stop. */
    public void apply(MeshConfigBundle bundle) {
        registry.apply(bundle);
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
            if (r.pod.namespace().equals(namespace) && (r.pod.owner().equals(owner) || r.pod.name().equals(owner))
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
                proxies.add(new MeshStateFile.Proxy(p.namespace(), p.name(), p.owner(), p.locality().toString(),
                        r.proxy.outboundPort(), r.proxy.inboundPort(), r.proxy.adminPort()));
            }
            r.apps.forEach((target, app) -> apps.add(new MeshStateFile.App(p.namespace(), p.name(), p.owner(),
                    p.locality().toString(), app.port(), p.sidecar())));
        }
        return new MeshStateFile(ProcessHandle.current().pid(), configDir, controlPlane.xdsPort(),
                controlPlane.debugPort(), proxies, apps);
    }

    /**
     * The registry's addressing callback: makes the planned pods run (starting new ones, stopping
     * gone ones) and answers with the sockets they bound. Runs on the thread that applied config.
     */
    private synchronized EndpointAddressing schedule(List<PodInstance> planned) {
        Set<String> keep = new HashSet<>();
        for (PodInstance pod : planned) {
            keep.add(PodRuntime.key(pod));
            PodRuntime existing = pods.get(PodRuntime.key(pod));
            if (existing != null && existing.pod.sidecar() != pod.sidecar()) {
                existing.close();
                pods.remove(existing.key());
                existing = null;
            }
            if (existing == null) {
                PodRuntime r = new PodRuntime(pod);
                pods.put(r.key(), r);
                if (pod.sidecar()) {
                    r.proxy = startSidecar(pod);
                }
            } else {
                existing.pod = pod; // labels may change without a restart, as on Kubernetes
            }
        }
        pods.entrySet().removeIf(e -> {
            if (!keep.contains(e.getKey())) {
                e.getValue().close();
                return true;
            }
            return false;
        });
        return new Addressing();
    }

    private ZonemeshProxy startSidecar(PodInstance pod) {
        try {
            NodeIdentity node = NodeIdentity.sidecar(pod.name(), pod.namespace(), pod.owner())
                    .withLabels(pod.labels())
                    .withLocality(pod.locality().region(), pod.locality().zone(), pod.locality().subzone());
            return ZonemeshProxy.builder()
                    .xdsServer(HOST + ":" + controlPlane.xdsPort())
                    .node(node)
                    .outboundAddress(new InetSocketAddress(HOST, 0))
                    .inboundAddress(new InetSocketAddress(HOST, 0))
                    .adminAddress(new InetSocketAddress(HOST, 0))
                    .eventLoopGroup(group)
                    .random(random)
                    .build()
                    .start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the sidecar of " + pod.namespace() + "/" + pod.name(), e);
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
                HostPort app = application(pod, targetPort);
                if (r != null && r.proxy != null) {
                    // Callers reach an injected pod through its sidecar's inbound listener.
                    return new HostPort(HOST, r.proxy.inboundPort());
                }
                return app;
            }
        }

        @Override
        public HostPort application(PodInstance pod, int targetPort) {
            return new HostPort(HOST, app(pod, targetPort).port());
        }

        @Override
        public String podIp(PodInstance pod) {
            return HOST;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            pods.values().forEach(PodRuntime::close);
            pods.clear();
        }
        controlPlane.close();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
