package io.zonemesh.cli.mesh;

import io.zonemesh.cli.echo.EchoServer;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.proxy.ZonemeshProxy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What runs for one pod of the local mesh: an echo application per target port and, when the
 * pod is injected, its sidecar. Guarded by the owning {@link LocalMesh}.
 */
final class PodRuntime {
    PodInstance pod;
    final Map<Integer, EchoServer> apps = new TreeMap<>();

    @Nullable
    ZonemeshProxy proxy;
    /** Runs a gateway proxy (a Gateway selects it) instead of an application. */
    boolean gateway;
    /** The application ports its sidecar has an inbound socket for (none without a sidecar). */
    List<Integer> appPorts = List.of();

    PodRuntime(PodInstance pod) {
        this.pod = pod;
    }

    String key() {
        return key(pod);
    }

    static String key(PodInstance pod) {
        return pod.namespace() + "/" + pod.name();
    }

    /** The echo server's greeting version: SERVICE_VERSION, else the {@code version} label, else "v1". */
    static String version(PodInstance pod) {
        String v = pod.env().get("SERVICE_VERSION");
        if (v == null || v.isEmpty()) {
            v = pod.labels().getOrDefault("version", "v1");
        }
        return v;
    }

    void close() {
        if (proxy != null) {
            proxy.close();
        }
        apps.values().forEach(EchoServer::close);
    }
}
