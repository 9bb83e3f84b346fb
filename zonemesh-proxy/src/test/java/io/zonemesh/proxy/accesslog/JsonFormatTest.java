package io.zonemesh.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import org.junit.jupiter.api.Test;

class JsonFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Struct format() {
        return Struct.newBuilder()
                .putFields("response_code", string("%RESPONSE_CODE%"))
                .putFields("bytes_sent", string("%BYTES_SENT%"))
                .putFields("duration", string("%DURATION%"))
                .putFields("upstream_service_time", string("%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%"))
                .putFields("upstream_host", string("%UPSTREAM_HOST%"))
                .putFields("response_flags", string("%RESPONSE_FLAGS%"))
                .putFields("requested_server_name", string("%REQUESTED_SERVER_NAME%"))
                .putFields("line", string("%REQ(:METHOD)% %UPSTREAM_HOST%"))
                .putFields(
                        "nested",
                        Value.newBuilder()
                                .setStructValue(Struct.newBuilder().putFields("protocol", string("%PROTOCOL%")))
                                .build())
                .putFields("constant", Value.newBuilder().setNumberValue(1).build())
                .build();
    }

    @Test
    void keepsNumbersNumbersAndMissingValuesNull() throws Exception {
        String line = JsonFormat.compile(format(), false).format(Entries.connectFailure());

        assertThat(line).endsWith("}\n");
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("response_code").isInt()).isTrue();
        assertThat(json.get("response_code").asInt()).isEqualTo(503);
        assertThat(json.get("bytes_sent").asLong()).isEqualTo(42);
        assertThat(json.get("duration").asLong()).isEqualTo(12);
        assertThat(json.get("upstream_host").isNull()).isTrue();
        assertThat(json.get("upstream_service_time").isNull()).isTrue();
        assertThat(json.get("response_flags").asText()).isEqualTo("UF");
        assertThat(json.get("line").asText()).isEqualTo("GET -");
        assertThat(json.get("nested").get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(json.get("constant").asInt()).isEqualTo(1);
    }

    @Test
    void headerValuesStayStrings() throws Exception {
        JsonNode json = JSON.readTree(JsonFormat.compile(format(), false).format(Entries.relayed()));

        assertThat(json.get("upstream_service_time").isTextual()).isTrue();
        assertThat(json.get("upstream_service_time").asText()).isEqualTo("9");
        assertThat(json.get("response_flags").asText()).isEqualTo("-");
    }

    @Test
    void omitEmptyValuesLeavesOutWhatDoesNotApply() throws Exception {
        JsonNode json = JSON.readTree(JsonFormat.compile(format(), true).format(Entries.connectFailure()));

        assertThat(json.has("upstream_host")).isFalse();
        assertThat(json.has("requested_server_name")).isFalse();
        assertThat(json.has("response_code")).isTrue();
    }

    @Test
    void namesTheKeyOfAnInvalidOperator() {
        Struct bad = Struct.newBuilder()
                .putFields(
                        "outer",
                        Value.newBuilder()
                                .setStructValue(Struct.newBuilder().putFields("inner", string("%NOPE%")))
                                .build())
                .build();

        assertThatThrownBy(() -> JsonFormat.compile(bad, false))
                .hasMessage("json_format.outer.inner: unknown command operator %NOPE%");
    }
}
