package io.zonemesh.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.zonemesh.proxy.config.HeaderEdits;
import io.zonemesh.proxy.config.HeaderEdits.AppendAction;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderEditsParserTest {

    private static HeaderValueOption option(String name, String value) {
        return HeaderValueOption.newBuilder()
                .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
                .build();
    }

    @SuppressWarnings("deprecation")
    @Test
    void legacyAppendFalseOverwritesAndTheDefaultAppends() {
        ValidationErrors errors = new ValidationErrors();
        HeaderEdits edits = HeaderEditsParser.parse(
                List.of(
                        option("X-A", "1"),
                        option("x-b", "100%%").toBuilder()
                                .setAppend(BoolValue.of(false))
                                .build()),
                List.of("X-Gone"),
                List.of(),
                List.of(),
                errors,
                "route");

        assertThat(errors.messages()).isEmpty();
        assertThat(edits.requestAdd())
                .containsExactly(
                        new HeaderEdits.HeaderEdit("x-a", "1", AppendAction.APPEND_IF_EXISTS_OR_ADD, false),
                        new HeaderEdits.HeaderEdit("x-b", "100%", AppendAction.OVERWRITE_IF_EXISTS_OR_ADD, false));
        assertThat(edits.requestRemove()).containsExactly("x-gone");
    }

    @Test
    void rejectsPseudoHeadersHostAndCommandOperators() {
        ValidationErrors errors = new ValidationErrors();

        assertThat(HeaderEditsParser.parse(
                        List.of(option(":path", "/"), option("x-ip", "%DOWNSTREAM_REMOTE_ADDRESS%")),
                        List.of("host"),
                        List.of(),
                        List.of(),
                        errors,
                        "route"))
                .isNull();

        assertThat(errors.joined())
                .contains("route.request_headers_to_add[0].header.key: \":path\"")
                .contains("route.request_headers_to_add[1].header.value")
                .contains("route.request_headers_to_remove[0]: \"host\"");
    }
}
