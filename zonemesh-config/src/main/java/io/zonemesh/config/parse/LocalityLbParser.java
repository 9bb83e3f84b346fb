package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.LocalityLoadBalancerSetting;
import io.fabric8.istio.api.api.networking.v1alpha3.LocalityLoadBalancerSettingDistribute;
import io.fabric8.istio.api.api.networking.v1alpha3.LocalityLoadBalancerSettingFailover;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.LocalityLbSetting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code loadBalancer.localityLbSetting}, validated as Istio's {@code ValidateLocalityLbSetting}
 * (pkg/config/validation/agent/validation.go) and LOCALITY.md §1.4–1.6.
 */
final class LocalityLbParser {
    /** The labels whose order {@code failover} already decides (Istio's label.LabelTopology*). */
    static final Set<String> TOPOLOGY_LABELS =
            Set.of("topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone");

    private LocalityLbParser() {}

    /**
     * @param hasOutlierDetection whether the DestinationRule policy that carries this setting has
     *     outlierDetection; without it Istio never fails over (LOCALITY.md §2.1) and only warns
     */
    static @Nullable LocalityLbSetting parse(
            LocalityLoadBalancerSetting in, FieldPath path, boolean hasOutlierDetection, ParseContext ctx) {
        List<LocalityLoadBalancerSettingDistribute> distributeIn = Values.list(in.getDistribute());
        List<LocalityLoadBalancerSettingFailover> failoverIn = Values.list(in.getFailover());
        List<String> priorityIn = Values.list(in.getFailoverPriority());
        if (!distributeIn.isEmpty() && !failoverIn.isEmpty()) {
            ctx.invalid(
                    path.field("failover"),
                    "set together with distribute (expected: only one of distribute "
                            + "and failover; Istio rejects the combination)");
        }
        List<LocalityLbSetting.Distribute> distribute = distribute(distributeIn, path.field("distribute"), ctx);
        List<LocalityLbSetting.Failover> failover = failover(failoverIn, path.field("failover"), ctx);
        List<String> priorities =
                failoverPriority(priorityIn, !failoverIn.isEmpty(), path.field("failoverPriority"), ctx);
        if ((!failoverIn.isEmpty() || !priorityIn.isEmpty()) && !hasOutlierDetection) {
            ctx.warn(
                    path,
                    "outlier detection policy must be provided for failover (without it Istio emits no "
                            + "locality priorities, so failover and failoverPriority are ignored; LOCALITY.md §2.1)");
        }
        return new LocalityLbSetting(in.getEnabled(), distribute, failover, priorities);
    }

    private static List<LocalityLbSetting.Distribute> distribute(
            List<LocalityLoadBalancerSettingDistribute> in, FieldPath path, ParseContext ctx) {
        List<LocalityLbSetting.Distribute> out = new ArrayList<>();
        Overlaps fromOverlaps = new Overlaps();
        for (int i = 0; i < in.size(); i++) {
            LocalityLoadBalancerSettingDistribute d = in.get(i);
            if (d == null) {
                continue;
            }
            FieldPath dp = path.index(i);
            String from = d.getFrom() == null ? "" : d.getFrom();
            boolean ok = locality(from, dp.field("from"), fromOverlaps, ctx);
            Map<String, Long> to = d.getTo() == null ? Map.of() : d.getTo();
            Map<String, Integer> weights = new LinkedHashMap<>();
            Overlaps toOverlaps = new Overlaps();
            long total = 0;
            for (Map.Entry<String, Long> e : to.entrySet()) {
                FieldPath tp = dp.field("to").field(e.getKey());
                ok &= locality(e.getKey(), tp, toOverlaps, ctx);
                Long w = e.getValue();
                if (w == null || w < 1 || w > 100) {
                    ctx.invalid(tp, w + " (expected: a locality weight in 1..100)");
                    ok = false;
                } else {
                    weights.put(e.getKey(), w.intValue());
                    total += w;
                }
            }
            if (to.isEmpty()) {
                ctx.missing(dp.field("to"), "localities with weights summing to 100");
                ok = false;
            } else if (weights.size() == to.size() && total != 100) {
                ctx.invalid(dp.field("to"), "weights sum to " + total + " (expected: exactly 100)");
                ok = false;
            }
            if (ok) {
                out.add(new LocalityLbSetting.Distribute(from, weights));
            }
        }
        return out;
    }

    /**
     * {@code region[/zone[/subzone]]}: no empty segment, and {@code *} only as the whole last
     * segment. Stricter than Istio's check, which accepts {@code us-*} but then matches it
     * literally (util.LocalityMatch compares whole segments).
     */
    private static boolean locality(String locality, FieldPath path, Overlaps overlaps, ParseContext ctx) {
        String[] parts = locality.split("/", -1);
        if (parts.length > 3) {
            ctx.invalid(path, '"' + locality + "\" (expected: region, region/zone or region/zone/subzone)");
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                ctx.invalid(path, '"' + locality + "\" (expected: region[/zone[/subzone]] without empty parts)");
                return false;
            }
            if (parts[i].contains("*") && (!parts[i].equals("*") || i != parts.length - 1)) {
                ctx.invalid(
                        path,
                        '"' + locality + "\" (expected: '*' at most once, as the whole last part, "
                                + "e.g. us-west/*)");
                return false;
            }
        }
        String overlap = overlaps.add(parts);
        if (overlap != null) {
            ctx.invalid(
                    path,
                    '"' + locality + "\" overlaps \"" + overlap + "\" (expected: localities that "
                            + "select disjoint endpoints)");
            return false;
        }
        return true;
    }

    private static List<LocalityLbSetting.Failover> failover(
            List<LocalityLoadBalancerSettingFailover> in, FieldPath path, ParseContext ctx) {
        List<LocalityLbSetting.Failover> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            LocalityLoadBalancerSettingFailover f = in.get(i);
            if (f == null) {
                continue;
            }
            FieldPath fp = path.index(i);
            String from = f.getFrom() == null ? "" : f.getFrom();
            String to = f.getTo() == null ? "" : f.getTo();
            // Both sides are checked so that one pass reports both bad regions.
            boolean fromOk = region(from, fp.field("from"), ctx);
            boolean toOk = region(to, fp.field("to"), ctx);
            boolean ok = fromOk && toOk;
            if (ok && from.equals(to)) {
                ctx.invalid(
                        fp.field("to"),
                        '"' + to + "\" (expected: a region other than from; locality lb failover "
                                + "settings must specify different regions)");
                ok = false;
            }
            if (ok) {
                out.add(new LocalityLbSetting.Failover(from, to));
            }
        }
        return out;
    }

    static boolean region(String region, FieldPath path, ParseContext ctx) {
        if (region.isEmpty()) {
            ctx.missing(path, "a region");
            return false;
        }
        if (region.contains("/") || region.contains("*")) {
            ctx.invalid(
                    path,
                    '"' + region + "\" (expected: a region only, without '/' or '*'; failover is "
                            + "between regions)");
            return false;
        }
        return true;
    }

    private static List<String> failoverPriority(
            List<String> in, boolean withFailover, FieldPath path, ParseContext ctx) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String entry = in.get(i);
            FieldPath ep = path.index(i);
            if (entry == null || entry.isEmpty()) {
                ctx.missing(ep, "a label key or key=value");
                continue;
            }
            int eq = entry.indexOf('=');
            String key = eq < 0 ? entry : entry.substring(0, eq);
            String problem = Names.labelKey(key);
            if (problem == null && eq >= 0) {
                String value = entry.substring(eq + 1);
                problem = value.isEmpty()
                        ? '"' + entry + "\" (expected: key or key=value with a non-empty value)"
                        : Names.labelValue(value);
            }
            if (problem != null) {
                ctx.invalid(ep, problem);
                continue;
            }
            if (withFailover && TOPOLOGY_LABELS.contains(key)) {
                ctx.invalid(
                        ep,
                        '"' + entry + "\" (expected: no topology label when failover is also set; "
                                + "failover already orders endpoints by region, zone and subzone)");
                continue;
            }
            out.add(entry);
        }
        return out;
    }

    /**
     * Istio's {@code validateLocalities}: two localities overlap when they could select the same
     * endpoint, i.e. each level is equal or one side is {@code *} (a missing level counts as
     * {@code *}, so {@code us-west} overlaps {@code us-west/zone1}).
     */
    private static final class Overlaps {
        private final List<String[]> patterns = new ArrayList<>();
        private final List<String> written = new ArrayList<>();

        /** Records {@code parts}; returns the earlier locality it overlaps, or null. */
        @Nullable
        String add(String[] parts) {
            String[] p = {"*", "*", "*"};
            System.arraycopy(parts, 0, p, 0, parts.length);
            for (int i = 0; i < patterns.size(); i++) {
                if (overlap(patterns.get(i), p)) {
                    return written.get(i);
                }
            }
            patterns.add(p);
            written.add(String.join("/", parts));
            return null;
        }

        private static boolean overlap(String[] a, String[] b) {
            for (int i = 0; i < 3; i++) {
                if (!a[i].equals(b[i]) && !a[i].equals("*") && !b[i].equals("*")) {
                    return false;
                }
            }
            return true;
        }
    }
}
