package io.zonemesh.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextFormatTest {
    /** Istio 1.2x's EnvoyTextLogFormat (pilot/pkg/model/telemetry_logging.go), verbatim. */
    static final String ISTIO_TEXT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
            + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% "
            + "%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "
            + "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% "
            + "%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" "
            + "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" "
            + "%UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% "
            + "%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n";

    @Test
    void printsIstiosDefaultLineForARelayedRequest() {
        assertThat(TextFormat.compile(ISTIO_TEXT, false).format(Entries.relayed()))
                .isEqualTo(
                        "[2023-11-14T22:13:20.123Z] \"GET /hello?x=1 HTTP/1.1\" 200 - via_upstream - \"-\" 7 42 12 9 "
                                + "\"10.1.1.1\" \"curl/8.5.0\" \"c0ffee\" \"helloworld.sample:5000\" \"10.0.0.1:5000\" "
                                + "outbound|5000||helloworld.sample.svc.cluster.local 127.0.0.1:50000 127.0.0.1:15001 "
                                + "127.0.0.6:40000 - default\n");
    }

    @Test
    void printsDashesAndTheFlagForALocalReply() {
        assertThat(TextFormat.compile(
                                "%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %UPSTREAM_HOST% "
                                        + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% %ROUTE_NAME% %UPSTREAM_LOCALITY%",
                                false)
                        .format(Entries.connectFailure()))
                .isEqualTo("503 UF upstream_reset_before_response_started{connection_failure} - - - -");
    }

    @Test
    void fallsBackToTheAlternativeHeaderAndTruncatesToTheMaxLength() {
        AccessLogEntry entry = Entries.relayed();
        entry.requestHeaders().add("x-envoy-original-path", "/original");

        assertThat(TextFormat.compile(
                                "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%|%REQ(X-MISSING?USER-AGENT):4%|%REQ(X-MISSING)%",
                                false)
                        .format(entry))
                .isEqualTo("/original|curl|-");
    }

    @Test
    void reqWithoutQueryDropsTheQueryString() {
        assertThat(TextFormat.compile("%REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)%", false)
                        .format(Entries.relayed()))
                .isEqualTo("/hello");
    }

    @Test
    void doublePercentIsALiteralPercentAndOmitEmptyValuesPrintsNothing() {
        assertThat(TextFormat.compile("100%% %REQUESTED_SERVER_NAME%|%UPSTREAM_LOCALITY%", true)
                        .format(Entries.relayed()))
                .isEqualTo("100% |us-east1/us-east1-b/");
    }

    @Test
    void startTimeTakesAnStrftimeFormat() {
        assertThat(TextFormat.compile("%START_TIME(%Y/%m/%d %H:%M:%S.%3f %s)%", false)
                        .format(Entries.relayed()))
                .isEqualTo("2023/11/14 22:13:20.123 1700000000");
    }

    @Test
    void printsPeerIdentityAttemptsAndAddressesWithoutPorts() {
        assertThat(TextFormat.compile(
                                "%DOWNSTREAM_PEER_URI_SAN% %UPSTREAM_REQUEST_ATTEMPT_COUNT% "
                                        + "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_LOCAL_PORT%",
                                false)
                        .format(Entries.relayed()))
                .isEqualTo("- 1 127.0.0.6 15001");
    }

    @Test
    void rejectsAnUnknownOperatorByName() {
        assertThatThrownBy(() -> TextFormat.compile("%START_TIME% %NOT_AN_OPERATOR%", false))
                .isInstanceOf(FormatException.class)
                .hasMessage("unknown command operator %NOT_AN_OPERATOR%");
        assertThatThrownBy(() -> TextFormat.compile("%DYNAMIC_METADATA(istio.mixer:status)%", false))
                .hasMessage("command operator %DYNAMIC_METADATA% is not supported by zonemesh-proxy");
    }

    @Test
    void rejectsMalformedOperators() {
        assertThatThrownBy(() -> TextFormat.compile("abc %REQ(X", false))
                .hasMessage("no valid command operator at position 4 of \"abc %REQ(X\"");
        assertThatThrownBy(() -> TextFormat.compile("%PROTOCOL", false)).hasMessageContaining("position 0");
        assertThatThrownBy(() -> TextFormat.compile("%REQ()%", false)).hasMessageContaining("needs a header name");
        assertThatThrownBy(() -> TextFormat.compile("%PROTOCOL(x)%", false)).hasMessageContaining("takes no argument");
        assertThatThrownBy(() -> TextFormat.compile("%START_TIME(%Q)%", false))
                .hasMessageContaining("unsupported specifier %Q");
    }
}
