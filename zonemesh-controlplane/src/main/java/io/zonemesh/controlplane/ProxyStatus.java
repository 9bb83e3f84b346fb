package io.zonemesh.controlplane;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.common.Nullable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the control plane knows about one ADS connection's sync state, per resource type: the
 * version and nonce last sent, the version last ACKed and the last NACK (Istio's
 * {@code LastError}). An ACK or NACK counts only when it answers the connection's latest response
 * of its type (istiod's nonce check in {@code ShouldRespond}); one connection's requests never
 * touch another's status. Mutable; guarded by its own monitor and copied out with {@link #view()}.
 */
final class ProxyStatus {
    private final AdsConnection connection;
    private final long connectedAtMillis;
    private boolean connected = true;
    private final Map<String, TypeState> types = new LinkedHashMap<>();
    private long rejects;

    ProxyStatus(AdsConnection connection, long nowMillis) {
        this.connection = connection;
        this.connectedAtMillis = nowMillis;
    }

    AdsConnection connection() {
        return connection;
    }

    synchronized void closed() {
        connected = false;
    }

    synchronized boolean connected() {
        return connected;
    }

    synchronized void sent(String typeUrl, String version, String nonce) {
        TypeState t = types.computeIfAbsent(shortType(typeUrl), k -> new TypeState());
        t.sent = version;
        t.sentNonce = nonce;
    }

    /** An ACK; ignored (false) unless it answers the latest response of its type. */
    synchronized boolean acked(String typeUrl, String nonce, String version) {
        TypeState t = types.get(shortType(typeUrl));
        if (t == null || !nonce.equals(t.sentNonce)) {
            return false;
        }
        t.acked = version;
        t.lastError = null;
        return true;
    }

    /** A NACK ({@code keptVersion} is what the proxy still runs); ignored (false) unless it answers the latest response. */
    synchronized boolean nacked(String typeUrl, String nonce, String keptVersion, String error, long nowMillis) {
        TypeState t = types.get(shortType(typeUrl));
        if (t == null || !nonce.equals(t.sentNonce)) {
            return false;
        }
        t.acked = keptVersion;
        t.lastError = error;
        t.lastErrorAtMillis = nowMillis;
        t.nacks++;
        rejects++;
        return true;
    }

    /** Whether every type sent to this proxy has been ACKed at the version sent. */
    synchronized boolean synced() {
        for (TypeState t : types.values()) {
            if (t.sent == null || !t.sent.equals(t.acked)) {
                return false;
            }
        }
        return !types.isEmpty();
    }

    synchronized long rejects() {
        return rejects;
    }

    /** The ACKed version of a type (short name, e.g. {@code CDS}), or "" when none. */
    synchronized String ackedVersion(String shortType) {
        TypeState t = types.get(shortType);
        return t == null || t.acked == null ? "" : t.acked;
    }

    /** The version last sent for a type, or "". */
    synchronized String sentVersion(String shortType) {
        TypeState t = types.get(shortType);
        return t == null || t.sent == null ? "" : t.sent;
    }

    /** A JSON-friendly copy. */
    synchronized Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        Node node = connection.node();
        out.put("proxy", node.getId());
        out.put("connection", connection.id());
        out.put("cluster", node.getCluster());
        out.put(
                "locality",
                node.getLocality().getRegion() + "/" + node.getLocality().getZone()
                        + (node.getLocality().getSubZone().isEmpty()
                                ? ""
                                : "/" + node.getLocality().getSubZone()));
        out.put("connected", connected);
        out.put("connectedAtMillis", connectedAtMillis);
        out.put("rejects", rejects);
        Map<String, Object> byType = new LinkedHashMap<>();
        for (Map.Entry<String, TypeState> e : types.entrySet()) {
            TypeState t = e.getValue();
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("sent", t.sent);
            v.put("acked", t.acked);
            v.put(
                    "status",
                    t.lastError != null ? "NACKED" : t.sent != null && t.sent.equals(t.acked) ? "SYNCED" : "STALE");
            if (t.lastError != null) {
                v.put("lastError", t.lastError);
                v.put("lastErrorAtMillis", t.lastErrorAtMillis);
            }
            v.put("nacks", t.nacks);
            byType.put(e.getKey(), v);
        }
        out.put("types", byType);
        return out;
    }

    /** {@code type.googleapis.com/envoy.config.cluster.v3.Cluster} → {@code CDS}. */
    static String shortType(String typeUrl) {
        if (typeUrl.endsWith(".Cluster")) {
            return "CDS";
        }
        if (typeUrl.endsWith(".ClusterLoadAssignment")) {
            return "EDS";
        }
        if (typeUrl.endsWith(".Listener")) {
            return "LDS";
        }
        if (typeUrl.endsWith(".RouteConfiguration")) {
            return "RDS";
        }
        if (typeUrl.endsWith(".Secret")) {
            return "SDS";
        }
        return typeUrl;
    }

    private static final class TypeState {
        @Nullable
        String sent;

        @Nullable
        String sentNonce;

        @Nullable
        String acked;

        @Nullable
        String lastError;

        long lastErrorAtMillis;
        long nacks;
    }
}
