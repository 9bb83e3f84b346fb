package io.zonemesh.cli;

import io.zonemesh.cli.mesh.MeshStateFile;
import java.util.Locale;

/** The table {@code zonemesh up} prints: every pod, its zone, sidecar and ports. */
final class MeshSummary {
    private MeshSummary() {}

    static String render(MeshStateFile state) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT, "%-12s %-40s %-14s %-8s %s%n", "NAMESPACE", "POD", "LOCALITY", "SIDECAR", "PORTS"));
        for (MeshStateFile.App app : state.apps()) {
            MeshStateFile.Proxy proxy = state.proxies().stream()
                    .filter(p ->
                            p.namespace().equals(app.namespace()) && p.pod().equals(app.pod()))
                    .findFirst()
                    .orElse(null);
            String ports = "app " + app.port()
                    + (proxy == null
                            ? ""
                            : ", outbound " + proxy.outboundPort() + ", inbound " + inbound(proxy) + ", admin "
                                    + proxy.adminPort());
            sb.append(String.format(
                    Locale.ROOT,
                    "%-12s %-40s %-14s %-8s %s%n",
                    app.namespace(),
                    app.pod(),
                    app.locality(),
                    proxy != null ? "yes" : "no",
                    ports));
        }
        for (MeshStateFile.Proxy g : state.proxies()) {
            if (g.gateway()) {
                StringBuilder ports = new StringBuilder("gateway");
                g.gatewayPorts()
                        .forEach((port, bound) ->
                                ports.append(", ").append(port).append(" -> ").append(bound));
                ports.append(", admin ").append(g.adminPort());
                sb.append(String.format(
                        Locale.ROOT,
                        "%-12s %-40s %-14s %-8s %s%n",
                        g.namespace(),
                        g.pod(),
                        g.locality(),
                        "gateway",
                        ports));
            }
        }
        return sb.toString();
    }

    /** {@code 8080 -> 41235} per application port (mTLS checks go there), else the single socket. */
    private static String inbound(MeshStateFile.Proxy proxy) {
        if (proxy.inboundPorts().isEmpty()) {
            return String.valueOf(proxy.inboundPort());
        }
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(proxy.inboundPorts()).forEach((app, bound) -> {
            if (sb.length() > 0) {
                sb.append(" ");
            }
            sb.append(app).append(" -> ").append(bound);
        });
        return sb.toString();
    }
}
