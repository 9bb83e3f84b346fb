package io.zonemesh.proxy.accesslog;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.http.ResponseFlag;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compiles one Envoy command operator (the part between the {@code %}s) into a
 * {@link CommandOperator}. Names and value types follow Envoy's substitution formatter
 * ({@code source/common/formatter/stream_info_formatter.cc}, {@code http_formatter_context}):
 * numbers for codes, byte counts and durations (ms), strings otherwise, null for "does not apply".
 * {@code %UPSTREAM_LOCALITY%} ({@code region/zone/subzone} of the chosen host) is a zonemesh
 * addition: Envoy has no such operator.
 */
final class CommandOperators {
    /** Envoy operators zonemesh-proxy knows but cannot fill: named precisely in the NACK. */
    private static final Set<String> ENVOY_UNSUPPORTED = Set.of(
            "DYNAMIC_METADATA",
            "CLUSTER_METADATA",
            "UPSTREAM_METADATA",
            "FILTER_STATE",
            "UPSTREAM_FILTER_STATE",
            "METADATA",
            "CEL",
            "TRAILER",
            "REQUEST_HEADERS_BYTES",
            "RESPONSE_HEADERS_BYTES",
            "RESPONSE_DURATION",
            "REQUEST_DURATION",
            "RESPONSE_TX_DURATION",
            "STREAM_ID",
            "CONNECTION_ID",
            "HOSTNAME");

    private CommandOperators() {}

    /**
     * The operator {@code name} with its parenthesised argument (null without one), truncated to
     * {@code maxLength} characters when it is non-negative.
     */
    static CommandOperator compile(String name, @Nullable String argument, int maxLength) {
        CommandOperator operator = switch (name) {
            case "REQ" -> header(name, argument, true);
            case "RESP" -> header(name, argument, false);
            // The envoy.formatter.req_without_query extension, which Istio configures when used.
            case "REQ_WITHOUT_QUERY" -> withoutQuery(header(name, argument, true));
            case "START_TIME" -> startTime(argument);
            default -> {
                if (ENVOY_UNSUPPORTED.contains(name)) {
                    throw new FormatException("command operator %" + name + "% is not supported by zonemesh-proxy");
                }
                if (argument != null) {
                    throw new FormatException(
                            "command operator %" + name + "% takes no argument, got (" + argument + ")");
                }
                yield simple(name);
            }
        };
        return maxLength < 0 ? operator : truncated(operator, maxLength);
    }

    private static CommandOperator simple(String name) {
        return switch (name) {
            case "PROTOCOL" -> e -> e.record().protocol();
            case "RESPONSE_CODE" -> e -> (long) e.record().status();
            case "RESPONSE_FLAGS" -> e -> flags(e.record());
            case "RESPONSE_CODE_DETAILS" -> e -> emptyToNull(e.responseCodeDetails());
            case "CONNECTION_TERMINATION_DETAILS" -> e -> null;
            case "UPSTREAM_TRANSPORT_FAILURE_REASON" -> AccessLogEntry::upstreamTransportFailureReason;
            case "BYTES_RECEIVED" -> e -> e.record().bytesReceived();
            case "BYTES_SENT" -> e -> e.record().bytesSent();
            case "DURATION" -> e -> TimeUnit.NANOSECONDS.toMillis(e.record().durationNanos());
            case "UPSTREAM_HOST" -> e -> e.record().upstreamHost();
            case "UPSTREAM_CLUSTER", "UPSTREAM_CLUSTER_RAW" -> e -> e.record().cluster();
            case "UPSTREAM_LOCALITY" -> e -> emptyToNull(e.record().upstreamLocality());
            case "UPSTREAM_REQUEST_ATTEMPT_COUNT" -> e -> (long) e.record().attempts();
            case "UPSTREAM_LOCAL_ADDRESS" -> e -> address(e.upstreamLocalAddress(), true);
            case "DOWNSTREAM_LOCAL_ADDRESS" -> e -> address(e.downstreamLocalAddress(), true);
            case "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT" -> e -> address(e.downstreamLocalAddress(), false);
            case "DOWNSTREAM_LOCAL_PORT" -> e -> port(e.downstreamLocalAddress());
            // Without a trusted proxy in front (Istio's default xff_num_trusted_hops 0), the
            // remote address is the connection's peer, as DOWNSTREAM_DIRECT_REMOTE_ADDRESS.
            case "DOWNSTREAM_REMOTE_ADDRESS", "DOWNSTREAM_DIRECT_REMOTE_ADDRESS" ->
                e -> address(e.downstreamRemoteAddress(), true);
            case "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT", "DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT" ->
                e -> address(e.downstreamRemoteAddress(), false);
            case "DOWNSTREAM_REMOTE_PORT" -> e -> port(e.downstreamRemoteAddress());
            case "REQUESTED_SERVER_NAME" -> AccessLogEntry::requestedServerName;
            case "ROUTE_NAME" -> e -> emptyToNull(e.routeName());
            case "DOWNSTREAM_PEER_URI_SAN" -> e -> e.record().downstreamPeerUriSan();
            case "DOWNSTREAM_LOCAL_URI_SAN" -> e -> e.record().downstreamLocalUriSan();
            default -> throw new FormatException("unknown command operator %" + name + "%");
        };
    }

    /** {@code REQ(X?Y)} / {@code RESP(X?Y)}: header X, else header Y; pseudo-headers from the record. */
    private static CommandOperator header(String operator, @Nullable String argument, boolean request) {
        if (argument == null || argument.isEmpty()) {
            throw new FormatException(
                    "command operator %" + operator + "% needs a header name: %" + operator + "(X?Y)%");
        }
        int alt = argument.indexOf('?');
        String main = (alt < 0 ? argument : argument.substring(0, alt)).toLowerCase(Locale.ROOT);
        @Nullable String fallback = alt < 0 ? null : argument.substring(alt + 1).toLowerCase(Locale.ROOT);
        if (main.isEmpty() || (fallback != null && (fallback.isEmpty() || fallback.indexOf('?') >= 0))) {
            throw new FormatException("command operator %" + operator + "(" + argument + ")%: expected X or X?Y");
        }
        Function<AccessLogEntry, @Nullable String> first = lookup(main, request);
        Function<AccessLogEntry, @Nullable String> second = fallback == null ? null : lookup(fallback, request);
        return e -> {
            String value = first.apply(e);
            return value == null && second != null ? second.apply(e) : value;
        };
    }

    private static Function<AccessLogEntry, @Nullable String> lookup(String name, boolean request) {
        if (request) {
            return switch (name) {
                case ":method" -> e -> e.record().method();
                case ":path" -> e -> e.record().path();
                case ":authority" -> e -> e.record().authority();
                case ":scheme" -> AccessLogEntry::scheme;
                default -> e -> e.requestHeaders().get(name);
            };
        }
        if (name.equals(":status")) {
            return e -> e.responseHeaders() == null
                    ? null
                    : Integer.toString(e.record().status());
        }
        return e -> {
            HttpHeaders headers = e.responseHeaders();
            return headers == null ? null : headers.get(name);
        };
    }

    private static CommandOperator withoutQuery(CommandOperator header) {
        return e -> {
            Object value = header.extract(e);
            if (value instanceof String s && s.indexOf('?') >= 0) {
                return s.substring(0, s.indexOf('?'));
            }
            return value;
        };
    }

    private static CommandOperator startTime(@Nullable String argument) {
        StartTimeFormat format = StartTimeFormat.compile(
                argument == null || argument.isEmpty() ? StartTimeFormat.ENVOY_DEFAULT : argument);
        return e -> format.format(e.record().startMillis());
    }

    private static CommandOperator truncated(CommandOperator operator, int maxLength) {
        return e -> {
            Object value = operator.extract(e);
            return value instanceof String s && s.length() > maxLength ? s.substring(0, maxLength) : value;
        };
    }

    /** Envoy prints {@code -} for no flags itself (also in JSON: {@code "response_flags":"-"}). */
    private static String flags(RequestRecord record) {
        return record.flags().isEmpty()
                ? "-"
                : record.flags().stream().map(ResponseFlag::code).collect(Collectors.joining(","));
    }

    private static @Nullable String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static @Nullable String address(@Nullable InetSocketAddress address, boolean withPort) {
        if (address == null) {
            return null;
        }
        String host = address.getAddress() == null
                ? address.getHostString()
                : address.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return withPort ? host + ":" + address.getPort() : host;
    }

    private static @Nullable Long port(@Nullable InetSocketAddress address) {
        return address == null ? null : (long) address.getPort();
    }
}
