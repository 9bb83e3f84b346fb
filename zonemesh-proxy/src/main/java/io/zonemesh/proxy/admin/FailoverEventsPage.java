package io.zonemesh.proxy.admin;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.zonemesh.lb.FailoverEvent;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /zonemesh/failover_events}: the proxy's last locality failovers, newest first, across
 * its clusters: {@code {"events": [{"time", "epoch_millis", "cluster", "reason", "from", "to"}]}}
 * where {@code from}/{@code to} list the priorities carrying traffic before and after, each with
 * {@code priority}, {@code load_percent}, {@code panic} and {@code localities}. Envoy has no such
 * page; its counterpart is zonemesh's {@code zonemesh_failover_events_total}.
 */
final class FailoverEventsPage {
    /** The events shown, newest first: each cluster keeps as many, so none is lost to a busy one. */
    static final int LIMIT = 64;

    private FailoverEventsPage() {}

    static Struct json(ProxySnapshot snapshot) {
        Map<String, List<FailoverEvent>> byCluster = new HashMap<>();
        for (ActiveCluster cluster : snapshot.clusters().values()) {
            byCluster.put(cluster.name(), cluster.loadBalancer().recentFailovers());
        }
        return json(byCluster);
    }

    /** The page for these clusters' events (each cluster's oldest first, as the balancer keeps them). */
    static Struct json(Map<String, List<FailoverEvent>> byCluster) {
        record Entry(String cluster, FailoverEvent event) {}
        List<Entry> entries = new ArrayList<>();
        byCluster.forEach((cluster, events) -> events.forEach(e -> entries.add(new Entry(cluster, e))));
        entries.sort(Comparator.comparingLong((Entry e) -> e.event().epochMillis())
                .reversed()
                .thenComparing(Entry::cluster));
        ListValue.Builder events = ListValue.newBuilder();
        for (Entry entry : entries.subList(0, Math.min(LIMIT, entries.size()))) {
            FailoverEvent e = entry.event();
            events.addValues(Value.newBuilder()
                    .setStructValue(Struct.newBuilder()
                            .putFields(
                                    "time",
                                    text(Instant.ofEpochMilli(e.epochMillis()).toString()))
                            .putFields("epoch_millis", number(e.epochMillis()))
                            .putFields("cluster", text(entry.cluster()))
                            .putFields("reason", text(e.reason().label()))
                            .putFields("from", shares(e.from()))
                            .putFields("to", shares(e.to()))));
        }
        return Struct.newBuilder()
                .putFields("events", Value.newBuilder().setListValue(events).build())
                .build();
    }

    private static Value shares(List<FailoverEvent.PriorityShare> shares) {
        ListValue.Builder out = ListValue.newBuilder();
        for (FailoverEvent.PriorityShare share : shares) {
            ListValue.Builder localities = ListValue.newBuilder();
            share.localities().forEach(l -> localities.addValues(text(l)));
            out.addValues(Value.newBuilder()
                    .setStructValue(Struct.newBuilder()
                            .putFields("priority", number(share.priority()))
                            .putFields("load_percent", number(share.loadPercent()))
                            .putFields(
                                    "panic",
                                    Value.newBuilder()
                                            .setBoolValue(share.panic())
                                            .build())
                            .putFields(
                                    "localities",
                                    Value.newBuilder().setListValue(localities).build())));
        }
        return Value.newBuilder().setListValue(out).build();
    }

    private static Value text(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value number(long n) {
        // Struct numbers are doubles: exact for epoch milliseconds (< 2^53) and small integers.
        return Value.newBuilder().setNumberValue((double) n).build();
    }
}
