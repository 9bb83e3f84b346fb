package io.zonemesh.cli.top;

import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.cli.proxyconfig.AdminClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reads one page of a proxy's admin API; tests pass canned pages. */
@FunctionalInterface
interface ProxyScraper {
    /**
     * The body of {@code path} on {@code proxy}.
     *
     * @throws IOException when the proxy cannot be read (it is then listed as unreachable)
     */
    String get(ProxyEndpoint proxy, String path) throws IOException, InterruptedException;

    /** Over HTTP, with proxy-config's admin client (one per proxy, its connections reused). */
    static ProxyScraper http() {
        Map<ProxyEndpoint, AdminClient> clients = new ConcurrentHashMap<>();
        return (proxy, path) -> clients.computeIfAbsent(proxy, p -> new AdminClient(p.hostPort(), p.name()))
                .text(path);
    }

    /** A proxy's admin API: how it is named in the output and where it listens. */
    record ProxyEndpoint(String name, String hostPort) {
        /** Every proxy (sidecars and gateways) of a running local mesh, as {@code POD.NAMESPACE}. */
        static List<ProxyEndpoint> of(MeshStateFile mesh) {
            return mesh.proxies().stream()
                    .map(p -> new ProxyEndpoint(p.pod() + "." + p.namespace(), "127.0.0.1:" + p.adminPort()))
                    .toList();
        }
    }
}
