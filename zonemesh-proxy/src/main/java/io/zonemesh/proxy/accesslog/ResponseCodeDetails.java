package io.zonemesh.proxy.accesslog;

import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.http.ResponseFlag;
import java.util.List;

/**
 * Envoy's {@code %RESPONSE_CODE_DETAILS%} ({@code ResponseCodeDetailValues} in
 * {@code envoy/stream_info/stream_info.h} and the router's reset details) for the outcomes this
 * proxy produces, derived from how the response was made and its response flags. Spaces become
 * underscores, as Envoy writes details; "" when none applies (printed {@code -}).
 */
public final class ResponseCodeDetails {
    public static final String VIA_UPSTREAM = "via_upstream";
    public static final String DIRECT_RESPONSE = "direct_response";

    private ResponseCodeDetails() {}

    /**
     * The details of a response: relayed from upstream, a route's direct response, or a local reply
     * explained by the first flag that decides one.
     */
    public static String of(
            boolean viaUpstream, boolean directResponse, List<ResponseFlag> flags, @Nullable String transportFailure) {
        if (viaUpstream) {
            return VIA_UPSTREAM;
        }
        if (directResponse) {
            return DIRECT_RESPONSE;
        }
        for (ResponseFlag flag : flags) {
            String detail = switch (flag) {
                case NO_ROUTE -> "route_not_found";
                case NO_CLUSTER -> "cluster_not_found";
                case NO_HEALTHY_UPSTREAM -> "no_healthy_upstream";
                case FAULT_INJECTED -> "fault_filter_abort";
                case UPSTREAM_REQUEST_TIMEOUT -> "response_timeout";
                case STREAM_IDLE_TIMEOUT -> "stream_idle_timeout";
                case DOWNSTREAM_CONNECTION_TERMINATION -> "downstream_remote_disconnect";
                case DOWNSTREAM_PROTOCOL_ERROR -> "http1.codec_error";
                case UPSTREAM_OVERFLOW -> reset("overflow", null);
                case UPSTREAM_CONNECT_FAILURE -> reset("connection_failure", transportFailure);
                case UPSTREAM_CONNECTION_TERMINATION -> reset("connection_termination", null);
                case UPSTREAM_REMOTE_RESET -> reset("remote_reset", null);
                case UPSTREAM_PROTOCOL_ERROR -> reset("protocol_error", null);
                default -> null;
            };
            if (detail != null) {
                return detail;
            }
        }
        return "";
    }

    private static String reset(String reason, @Nullable String transportFailure) {
        String detail = "upstream_reset_before_response_started{" + reason
                + (transportFailure == null ? "" : "|" + transportFailure) + "}";
        return detail.replace(' ', '_');
    }
}
