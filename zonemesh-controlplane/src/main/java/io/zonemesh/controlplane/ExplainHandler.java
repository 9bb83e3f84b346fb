package io.zonemesh.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.xds.ClusterNames;
import io.zonemesh.xds.LoadAssignmentExplainer;
import io.zonemesh.xds.ProxyIdentities;
import io.zonemesh.xds.ProxyIdentity;
import io.zonemesh.xds.locality.LocalityExplanation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /debug/explain?proxy=<node id or pod.namespace>&cluster=<name>}: the priority table the
 * proxy gets for the cluster and the rule behind each locality ({@link LoadAssignmentExplainer}),
 * computed from the mesh state last pushed and the proxy's connected {@code Node} (so its
 * metadata and client features count), or, when it is not connected, from the registry's workload.
 */
final class ExplainHandler implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Supplier<MeshState> state;
    private final Supplier<List<AdsConnection>> connections;

    ExplainHandler(Supplier<MeshState> state, Supplier<List<AdsConnection>> connections) {
        this.state = state;
        this.connections = connections;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String proxy = query.getOrDefault("proxy", "");
        String cluster = query.getOrDefault("cluster", "");
        String host = query.getOrDefault("host", "");
        if (proxy.isEmpty() || (cluster.isEmpty() && host.isEmpty())) {
            respond(
                    ex,
                    400,
                    "proxy: " + proxy + ", cluster: " + cluster
                            + " (expected: /debug/explain?proxy=<pod.namespace>&cluster=outbound|<port>|<subset>|<host>"
                            + " or &host=<fqdn>[&port=<port>][&subset=<name>])\n");
            return;
        }
        try {
            MeshState s = state.get();
            if (cluster.isEmpty()) {
                cluster = clusterName(s, host, query.getOrDefault("port", ""), query.getOrDefault("subset", ""));
            }
            Node node = node(proxy);
            String namespace = node.getMetadata().getFieldsOrThrow("NAMESPACE").getStringValue();
            String name = node.getMetadata().getFieldsOrThrow("NAME").getStringValue();
            ProxyIdentity identity =
                    ProxyIdentities.fromNode(node, s.workload(namespace, name), s.settings(), Map.of());
            LocalityExplanation explanation = LoadAssignmentExplainer.explain(s, identity, cluster);
            byte[] body = JSON.writeValueAsBytes(explanation);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } catch (IllegalArgumentException e) {
            respond(ex, 404, e.getMessage() + "\n");
        }
    }

    /**
     * The connected proxy's Node whose id is {@code proxy}, else a Node naming the pod: {@code pod.namespace}
     * with Istio's NAME/NAMESPACE metadata, which {@link ProxyIdentities#fromNode} completes from the registry.
     */
    private Node node(String proxy) {
        @Nullable Node connected = null;
        for (AdsConnection c : connections.get()) {
            if (c.node().getId().equals(proxy)) {
                connected = c.node();
            }
        }
        int dot = proxy.lastIndexOf('.');
        if (connected != null
                && connected.getMetadata().containsFields("NAMESPACE")
                && connected.getMetadata().containsFields("NAME")) {
            return connected;
        }
        if (dot <= 0 || dot == proxy.length() - 1) {
            throw new IllegalArgumentException("proxy: " + proxy + " (expected: <pod>.<namespace>)");
        }
        Node.Builder b = connected == null ? Node.newBuilder().setId(proxy) : connected.toBuilder();
        Struct.Builder meta = b.getMetadata().toBuilder()
                .putFields(
                        "NAME",
                        Value.newBuilder()
                                .setStringValue(proxy.substring(0, dot))
                                .build())
                .putFields(
                        "NAMESPACE",
                        Value.newBuilder()
                                .setStringValue(proxy.substring(dot + 1))
                                .build());
        return b.setMetadata(meta).build();
    }

    /** {@code outbound|port|subset|host}; the port may be left out when the service has only one. */
    private static String clusterName(MeshState s, String host, String port, String subset) {
        Service service = s.service(host);
        if (service == null) {
            throw new IllegalArgumentException("host: " + host + " (expected: a service hostname of the mesh)");
        }
        int number;
        if (!port.isEmpty()) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port: " + port + " (expected: a number)", e);
            }
        } else if (service.ports().size() == 1) {
            number = service.ports().get(0).port();
        } else {
            List<String> ports = new ArrayList<>();
            service.ports().forEach(p -> ports.add(Integer.toString(p.port())));
            throw new IllegalArgumentException(
                    "port: (none) (expected one of " + host + "'s ports: " + String.join(", ", ports) + ")");
        }
        return ClusterNames.outbound(number, subset.isEmpty() ? null : subset, host);
    }

    private static Map<String, String> query(@Nullable String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
