package io.zonemesh.cli;

import io.zonemesh.cli.mesh.MeshStateFile;

/** The table {@code zonemesh up} prints: every pod, its zone, sidecar and ports. */
final class MeshSummary {
    private MeshSummary() {}

    static String render(MeshStateFile state) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-12s %-40s %-14s %-8s %s%n", "NAMESPACE", "POD", "LOCALITY", "SIDECAR", "PORTS"));
        for (MeshStateFile.App app : state.apps()) {
            MeshStateFile.Proxy proxy = state.proxies().stream()
                    .filter(p -> p.namespace().equals(app.namespace()) && p.pod().equals(app.pod()))
                    .findFirst().orElse(null);
            String ports = "app " + app.port() + (proxy == null ? ""
                    : ", outbound " + proxy.outboundPort() + ", inbound " + proxy.inboundPort() + ", admin "
                            + proxy.adminPort());
            sb.append(String.format("%-12s %-40s %-14s %-8s %s%n", app.namespace(), app.pod(), app.locality(),
                    proxy != null ? "yes" : "no", ports));
        }
        return sb.toString();
    }
}
