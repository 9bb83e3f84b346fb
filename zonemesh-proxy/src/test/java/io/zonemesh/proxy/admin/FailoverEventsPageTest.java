package io.zonemesh.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.zonemesh.lb.FailoverEvent;
import io.zonemesh.lb.FailoverEvent.PriorityShare;
import io.zonemesh.lb.FailoverReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverEventsPageTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String OTHER = "outbound|80||other.sample.svc.cluster.local";

    private static FailoverEvent event(long millis, FailoverReason reason) {
        return new FailoverEvent(
                millis,
                reason,
                List.of(new PriorityShare(0, 100, false, List.of("us-east-1/az01/"))),
                List.of(new PriorityShare(1, 100, false, List.of("us-east-1/az02/"))));
    }

    @Test
    void listsEveryClustersEventsNewestFirstWithWhereTrafficWent() throws Exception {
        Struct page = FailoverEventsPage.json(Map.of(
                HELLO,
                List.of(event(1_000, FailoverReason.PRIORITY_UNHEALTHY), event(3_000, FailoverReason.OUTLIER_EJECTION)),
                OTHER,
                List.of(event(2_000, FailoverReason.PANIC))));

        List<Value> events = page.getFieldsOrThrow("events").getListValue().getValuesList();
        assertThat(events)
                .extracting(e -> e.getStructValue().getFieldsOrThrow("reason").getStringValue())
                .containsExactly("outlier_ejection", "panic", "priority_unhealthy");
        Struct newest = events.get(0).getStructValue();
        assertThat(newest.getFieldsOrThrow("cluster").getStringValue()).isEqualTo(HELLO);
        assertThat(newest.getFieldsOrThrow("time").getStringValue()).isEqualTo("1970-01-01T00:00:03Z");
        assertThat(newest.getFieldsOrThrow("epoch_millis").getNumberValue()).isEqualTo(3_000);
        Struct to = newest.getFieldsOrThrow("to").getListValue().getValues(0).getStructValue();
        assertThat(to.getFieldsOrThrow("priority").getNumberValue()).isEqualTo(1);
        assertThat(to.getFieldsOrThrow("load_percent").getNumberValue()).isEqualTo(100);
        assertThat(to.getFieldsOrThrow("localities").getListValue().getValues(0).getStringValue())
                .isEqualTo("us-east-1/az02/");
        assertThat(ConfigDumpPage.json(page)).contains("\"reason\": \"outlier_ejection\"");
    }

    @Test
    void showsTheNewest64AcrossClusters() {
        List<FailoverEvent> many = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            many.add(event(i, FailoverReason.OUTLIER_EJECTION));
        }

        Struct page = FailoverEventsPage.json(Map.of(HELLO, many, OTHER, List.of(event(100, FailoverReason.PANIC))));

        List<Value> events = page.getFieldsOrThrow("events").getListValue().getValuesList();
        assertThat(events).hasSize(FailoverEventsPage.LIMIT);
        assertThat(events.get(0).getStructValue().getFieldsOrThrow("cluster").getStringValue())
                .isEqualTo(OTHER);
        assertThat(events.get(63)
                        .getStructValue()
                        .getFieldsOrThrow("epoch_millis")
                        .getNumberValue())
                .as("the oldest event dropped")
                .isEqualTo(1);
    }
}
