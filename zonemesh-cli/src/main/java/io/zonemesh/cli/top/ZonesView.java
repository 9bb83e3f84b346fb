package io.zonemesh.cli.top;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonemesh.cli.top.ZoneSample.FailoverRow;
import io.zonemesh.cli.top.ZoneTraffic.Traffic;
import io.zonemesh.cli.top.ZoneTraffic.ZonePair;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** What {@code top zones} prints: the zone matrices, the cross-zone share and cost, the last failovers. */
final class ZonesView {
    /** Failover events shown under the table; {@code --json} carries all the proxies keep. */
    static final int FAILOVER_LINES = 10;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ZonesView() {}

    static String text(ZoneRates rates, ZoneSample latest, double pricePerGb) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "zone traffic of %d proxies over the last %.1f s (reporter=source)%n%n",
                latest.byProxy().size(),
                rates.seconds()));
        matrix(out, "requests/s", rates, Traffic::requests, "%12.1f");
        out.append('\n');
        matrix(out, "bytes/s", rates, Traffic::bytes, "%12.0f");
        Traffic cross = rates.crossZone();
        out.append(String.format(
                Locale.ROOT,
                "%ncross-zone: %.1f%% of requests (%.1f/s), %.1f%% of bytes (%.0f B/s)%n",
                100 * rates.crossZoneRequestShare(),
                cross.requests(),
                100 * rates.crossZoneByteShare(),
                cross.bytes()));
        out.append(String.format(
                Locale.ROOT,
                "cross-zone cost: $%.6f/day at $%s/GB (%.0f B/s x 86,400 s / 1e9 B)%n",
                rates.crossZoneCostPerDay(pricePerGb),
                price(pricePerGb),
                cross.bytes()));
        out.append("\nlast failover events (newest first):\n");
        if (latest.failovers().isEmpty()) {
            out.append("  none\n");
        }
        latest.failovers().stream()
                .limit(FAILOVER_LINES)
                .forEach(f -> out.append(String.format(
                        Locale.ROOT,
                        "  %s  %-20s %-18s %s  %s -> %s%n",
                        f.time(),
                        f.proxy(),
                        f.reason(),
                        f.cluster(),
                        f.from(),
                        f.to())));
        for (String u : latest.unreachable()) {
            out.append("not read: ").append(u).append('\n');
        }
        return out.toString();
    }

    private static void matrix(
            StringBuilder out, String title, ZoneRates rates, ToDoubleFunction<Traffic> value, String cell) {
        TreeSet<String> sources = new TreeSet<>();
        TreeSet<String> destinations = new TreeSet<>();
        rates.perSecond().keySet().forEach(p -> {
            sources.add(p.source());
            destinations.add(p.destination());
        });
        out.append(String.format(Locale.ROOT, "%-24s", title + "  from \\ to"));
        destinations.forEach(d -> out.append(String.format(Locale.ROOT, "%12s", d)));
        out.append('\n');
        if (sources.isEmpty()) {
            out.append("  (no traffic)\n");
        }
        for (String s : sources) {
            out.append(String.format(Locale.ROOT, "%-24s", "  " + s));
            for (String d : destinations) {
                Traffic t = rates.perSecond().getOrDefault(new ZonePair(s, d), Traffic.NONE);
                out.append(String.format(Locale.ROOT, cell, value.applyAsDouble(t)));
            }
            out.append('\n');
        }
    }

    static String json(ZoneRates rates, ZoneSample latest, double pricePerGb) {
        ObjectNode root = JSON.createObjectNode();
        root.put("seconds", rates.seconds());
        root.put("proxies", latest.byProxy().size());
        ArrayNode pairs = root.putArray("zones");
        for (Map.Entry<ZonePair, Traffic> e : rates.perSecond().entrySet()) {
            pairs.addObject()
                    .put("source_zone", e.getKey().source())
                    .put("destination_zone", e.getKey().destination())
                    .put("cross_zone", e.getKey().crossZone())
                    .put("requests_per_second", e.getValue().requests())
                    .put("bytes_per_second", e.getValue().bytes());
        }
        root.put("cross_zone_request_share", rates.crossZoneRequestShare());
        root.put("cross_zone_byte_share", rates.crossZoneByteShare());
        root.put("cross_zone_requests_per_second", rates.crossZone().requests());
        root.put("cross_zone_bytes_per_second", rates.crossZone().bytes());
        root.put("price_per_gb", pricePerGb);
        root.put("cross_zone_cost_per_day", rates.crossZoneCostPerDay(pricePerGb));
        ArrayNode failovers = root.putArray("failover_events");
        for (FailoverRow f : latest.failovers()) {
            failovers
                    .addObject()
                    .put("proxy", f.proxy())
                    .put("time", f.time())
                    .put("epoch_millis", f.epochMillis())
                    .put("cluster", f.cluster())
                    .put("reason", f.reason())
                    .put("from", f.from())
                    .put("to", f.to());
        }
        ArrayNode unreachable = root.putArray("unreachable");
        latest.unreachable().forEach(unreachable::add);
        return JSON.valueToTree(root).toPrettyString() + "\n";
    }

    /** The price as given: 0.01, not 0.010000. */
    private static String price(double pricePerGb) {
        return java.math.BigDecimal.valueOf(pricePerGb).stripTrailingZeros().toPlainString();
    }
}
