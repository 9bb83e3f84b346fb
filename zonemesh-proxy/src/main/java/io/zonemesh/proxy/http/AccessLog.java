package io.zonemesh.proxy.http;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per request to the {@code zonemesh.access} logger, in the spirit of Envoy's
 * default format:
 * <pre>
 * [START] "METHOD PATH PROTOCOL" STATUS FLAGS BYTES_RECEIVED BYTES_SENT DURATION_MS UPSTREAM_MS
 *   "AUTHORITY" "UPSTREAM_HOST" CLUSTER DIRECTION ATTEMPTS DOWNSTREAM_PEER_URI_SAN DOWNSTREAM_LOCAL_URI_SAN
 * </pre>
 * with {@code -} for what does not apply; several flags are joined with commas ({@code UF,URX})
 * as Envoy prints them, and ATTEMPTS counts the upstream tries including retries; the two URI SAN fields
 * are Envoy's {@code %DOWNSTREAM_PEER_URI_SAN%} (the verified client identity on an mTLS inbound
 * connection) and {@code %DOWNSTREAM_LOCAL_URI_SAN%}. Responses stay untouched; this line is where routing
 * details go.
 */
public final class AccessLog implements RequestObserver {
    /** The logger name; route it to its own appender to get a plain access log. */
    public static final String LOGGER_NAME = "zonemesh.access";

    private final Logger logger;

    public AccessLog() {
        this(LoggerFactory.getLogger(LOGGER_NAME));
    }

    AccessLog(Logger logger) {
        this.logger = logger;
    }

    @Override
    public void onRequestComplete(RequestRecord record) {
        if (logger.isInfoEnabled()) {
            logger.info(format(record));
        }
    }

    /** The access-log line for a request. */
    public static String format(RequestRecord r) {
        StringBuilder line = new StringBuilder(160);
        line.append('[')
                .append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(r.startMillis())))
                .append("] \"")
                .append(r.method())
                .append(' ')
                .append(r.path())
                .append(' ')
                .append(r.protocol())
                .append("\" ")
                .append(r.status())
                .append(' ')
                .append(
                        r.flags().isEmpty()
                                ? "-"
                                : r.flags().stream().map(ResponseFlag::code).collect(Collectors.joining(",")))
                .append(' ')
                .append(r.bytesReceived())
                .append(' ')
                .append(r.bytesSent())
                .append(' ')
                .append(TimeUnit.NANOSECONDS.toMillis(r.durationNanos()))
                .append(' ')
                .append(r.upstreamNanos() < 0 ? "-" : TimeUnit.NANOSECONDS.toMillis(r.upstreamNanos()))
                .append(" \"")
                .append(r.authority())
                .append("\" \"")
                .append(r.upstreamHost() == null ? "-" : r.upstreamHost())
                .append("\" ")
                .append(r.cluster() == null ? "-" : r.cluster())
                .append(' ')
                .append(r.direction().label())
                .append(' ')
                .append(r.attempts())
                .append(' ')
                .append(r.downstreamPeerUriSan() == null ? "-" : r.downstreamPeerUriSan())
                .append(' ')
                .append(r.downstreamLocalUriSan() == null ? "-" : r.downstreamLocalUriSan());
        return line.toString();
    }
}
