package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.zonemesh.common.Nullable;
import java.nio.charset.StandardCharsets;

/**
 * The checks {@link Http1RequestScanner} makes on one request head (request line and header
 * lines), a line at a time, and the framing it learns from it. Reused for every request of a
 * connection ({@link #reset}); event-loop confined.
 */
final class HeaderBlockCheck {
    int lines;
    int headerBytes;
    boolean complete;
    int headers;
    int hosts;
    int transferEncodings;
    boolean chunked;
    /** An {@code Upgrade} header (WebSocket): what follows the request depends on its response. */
    boolean upgrade;

    long contentLength = -1;
    private @Nullable RejectedRequestException versionProblem;

    void reset() {
        lines = 0;
        headerBytes = 0;
        complete = false;
        headers = 0;
        hosts = 0;
        transferEncodings = 0;
        chunked = false;
        upgrade = false;
        contentLength = -1;
        versionProblem = null;
    }

    /** Takes the line [start, end) (without its CRLF); returns why the request is refused, or null. */
    @Nullable
    RuntimeException line(ByteBuf in, int start, int end) {
        if (lines++ == 0) {
            versionProblem = checkVersion(in, start, end);
            return null;
        }
        headerBytes += end - start + 2;
        if (headerBytes > HttpLimits.MAX_HEADER_BYTES) {
            return new TooLongHttpHeaderException("headers over " + HttpLimits.MAX_HEADER_BYTES + " bytes");
        }
        if (start == end) {
            complete = true;
            return finish();
        }
        byte first = in.getByte(start);
        if (first == ' ' || first == '\t') {
            return Http1RequestScanner.badRequest("obs-fold in headers");
        }
        if (++headers > Http1RequestScanner.MAX_HEADERS) {
            return new RejectedRequestException(
                    HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "more than " + Http1RequestScanner.MAX_HEADERS + " headers");
        }
        int colon = in.indexOf(start, end, (byte) ':');
        if (colon < 0) {
            return null; // Netty refuses a header line without a colon.
        }
        String name = in.toString(start, colon - start, StandardCharsets.ISO_8859_1);
        if (name.equalsIgnoreCase("host") && ++hosts > 1) {
            return Http1RequestScanner.badRequest("multiple Host headers");
        }
        if (name.equalsIgnoreCase("upgrade")) {
            upgrade = true;
        }
        if (name.equalsIgnoreCase("transfer-encoding")) {
            transferEncodings++;
            String value = in.toString(colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1);
            chunked = trimSpaces(value).equalsIgnoreCase("chunked");
        }
        if (name.equalsIgnoreCase("content-length")) {
            if (contentLength >= 0) {
                return Http1RequestScanner.badRequest("multiple Content-Length headers");
            }
            contentLength = parseLength(in.toString(colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1));
            if (contentLength < 0) {
                return Http1RequestScanner.badRequest("invalid Content-Length");
            }
        }
        return null;
    }

    private @Nullable RuntimeException finish() {
        if (versionProblem != null) {
            return versionProblem;
        }
        if (transferEncodings > 0) {
            if (contentLength >= 0) {
                return Http1RequestScanner.badRequest("both Content-Length and Transfer-Encoding are set");
            }
            if (transferEncodings > 1 || !chunked) {
                return new RejectedRequestException(
                        HttpResponseStatus.NOT_IMPLEMENTED, "unsupported transfer encoding");
            }
        }
        return null;
    }

    /**
     * RFC 9112 §3: the line ends with SP "HTTP/" DIGIT "." DIGIT. Another version is 505; a
     * line not ending so is 400 (Netty would read a version after other separators, or a
     * protocol that is not HTTP).
     */
    private static @Nullable RejectedRequestException checkVersion(ByteBuf in, int start, int end) {
        if (end - start < 10 || in.getByte(end - 9) != ' ') {
            return Http1RequestScanner.badRequest("request line does not end with SP HTTP-version");
        }
        String version = in.toString(end - 8, 8, StandardCharsets.ISO_8859_1);
        if (version.equals("HTTP/1.1") || version.equals("HTTP/1.0")) {
            return null;
        }
        if (version.startsWith("HTTP/")
                && Character.isDigit(version.charAt(5))
                && version.charAt(6) == '.'
                && Character.isDigit(version.charAt(7))) {
            return new RejectedRequestException(
                    HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "unsupported HTTP version " + version);
        }
        return Http1RequestScanner.badRequest("request line does not end with SP HTTP-version");
    }

    private static String trimSpaces(String value) {
        int from = 0;
        int to = value.length();
        while (from < to && value.charAt(from) == ' ') {
            from++;
        }
        while (to > from && value.charAt(to - 1) == ' ') {
            to--;
        }
        return value.substring(from, to);
    }

    /** 1*DIGIT between optional whitespace, else -1. */
    private static long parseLength(String value) {
        String digits = value.strip();
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }
}
