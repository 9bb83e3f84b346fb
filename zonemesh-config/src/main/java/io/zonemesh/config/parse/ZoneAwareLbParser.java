package io.zonemesh.config.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.LocalityLbSetting;
import io.zonemesh.model.istio.ZoneAwareLbSetting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code loadBalancer.zoneAwareLbSetting} (Istio 1.31, istio/api {@code ZoneAwareLoadBalancerSetting};
 * ZONE_AWARE.md §4), read from the document as written because fabric8's model (7.4.0) predates it
 * ({@link ModelGaps}). Validated as Istio does: {@code minClusterSize} in 1..2^32−1, failover
 * between two different regions, {@code failoverPriority} labels other than region, zone and
 * sub-zone (the zone order is Envoy's to decide).
 */
final class ZoneAwareLbParser {
    static final String FIELD = "zoneAwareLbSetting";
    private static final Set<String> FIELDS = Set.of("enabled", "failover", "failoverPriority", "minClusterSize");
    /** The CRD's maximum (istio/istio commit 47320ba1a73): a uint32. */
    private static final long MAX_MIN_CLUSTER_SIZE = 0xFFFF_FFFFL;

    private ZoneAwareLbParser() {}

    /** The setting at {@code path}, or null when absent or not a mapping (then reported). */
    static @Nullable ZoneAwareLbSetting parse(FieldPath path, ParseContext ctx) {
        JsonNode in = ctx.raw(path);
        if (in == null || in.isNull()) {
            return null;
        }
        if (!in.isObject()) {
            ctx.report(DiagnosticCode.WRONG_TYPE, path, in + " (expected: a mapping)");
            return null;
        }
        Boolean enabled = null;
        Long minClusterSize = null;
        List<LocalityLbSetting.Failover> failover = List.of();
        List<String> priorities = List.of();
        for (Map.Entry<String, JsonNode> e : in.properties()) {
            FieldPath fp = path.field(e.getKey());
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "enabled" -> enabled = bool(v, fp, ctx);
                case "minClusterSize" -> minClusterSize = minClusterSize(v, fp, ctx);
                case "failover" -> failover = failover(v, fp, ctx);
                case "failoverPriority" -> priorities = failoverPriority(v, fp, ctx);
                default ->
                    ctx.report(
                            DiagnosticCode.UNKNOWN_FIELD,
                            fp,
                            "unknown field (expected: one of " + new java.util.TreeSet<>(FIELDS) + ")");
            }
        }
        return new ZoneAwareLbSetting(enabled, failover, priorities, minClusterSize);
    }

    private static @Nullable Boolean bool(JsonNode v, FieldPath path, ParseContext ctx) {
        if (!v.isBoolean()) {
            ctx.report(DiagnosticCode.WRONG_TYPE, path, v + " (expected: true or false)");
            return null;
        }
        return v.booleanValue();
    }

    private static @Nullable Long minClusterSize(JsonNode v, FieldPath path, ParseContext ctx) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            ctx.report(DiagnosticCode.WRONG_TYPE, path, v + " (expected: an integer)");
            return null;
        }
        long size = v.asLong();
        if (size < 1 || size > MAX_MIN_CLUSTER_SIZE) {
            ctx.invalid(path, size + " (expected: 1.." + MAX_MIN_CLUSTER_SIZE + ")");
            return null;
        }
        return size;
    }

    private static List<LocalityLbSetting.Failover> failover(JsonNode v, FieldPath path, ParseContext ctx) {
        if (!v.isArray()) {
            ctx.report(DiagnosticCode.WRONG_TYPE, path, v + " (expected: a list of {from, to})");
            return List.of();
        }
        List<LocalityLbSetting.Failover> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            FieldPath ep = path.index(i);
            JsonNode entry = v.get(i);
            if (!entry.isObject()) {
                ctx.report(DiagnosticCode.WRONG_TYPE, ep, entry + " (expected: a mapping with from and to)");
                continue;
            }
            for (Map.Entry<String, JsonNode> f : entry.properties()) {
                if (!f.getKey().equals("from") && !f.getKey().equals("to")) {
                    ctx.report(
                            DiagnosticCode.UNKNOWN_FIELD,
                            ep.field(f.getKey()),
                            "unknown field (expected: one of [from, to])");
                }
            }
            String from = entry.path("from").asText("");
            String to = entry.path("to").asText("");
            // Both checked, so that one pass reports both fields' errors.
            boolean fromOk = LocalityLbParser.region(from, ep.field("from"), ctx);
            boolean toOk = LocalityLbParser.region(to, ep.field("to"), ctx);
            boolean ok = fromOk && toOk;
            if (ok && from.equals(to)) {
                ctx.invalid(ep.field("to"), '"' + to + "\" (expected: a region other than from)");
            } else if (ok) {
                out.add(new LocalityLbSetting.Failover(from, to));
            }
        }
        return out;
    }

    private static List<String> failoverPriority(JsonNode v, FieldPath path, ParseContext ctx) {
        if (!v.isArray()) {
            ctx.report(DiagnosticCode.WRONG_TYPE, path, v + " (expected: a list of label keys)");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            FieldPath ep = path.index(i);
            String entry = v.get(i).isTextual() ? v.get(i).textValue() : "";
            String key = entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : entry;
            if (LocalityLbParser.TOPOLOGY_LABELS.contains(key)) {
                ctx.invalid(
                        ep,
                        '"' + entry + "\" (expected: a label other than region, zone and subzone; "
                                + "zone-aware routing orders those itself)");
                continue;
            }
            String problem = entry.isEmpty() ? "\"\" (expected: a label key or key=value)" : Names.labelKey(key);
            if (problem != null) {
                ctx.invalid(ep, problem);
            } else {
                out.add(entry);
            }
        }
        return out;
    }
}
