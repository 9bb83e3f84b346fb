package io.zonemesh.cli.send;

import io.zonemesh.common.Nullable;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A minimal HTTP/1.1 keep-alive client that sends origin-form requests to one address with the
 * URL's authority as {@code Host}, the way traffic reaches an ingress gateway from outside. The
 * JDK client cannot set {@code Host}; this one does nothing else. Blocking; for the CLI only.
 */
final class DirectClient implements AutoCloseable {
    private final InetSocketAddress target;
    private final Duration timeout;
    private @Nullable Socket socket;
    private @Nullable InputStream in;
    private @Nullable OutputStream out;

    DirectClient(InetSocketAddress target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
    }

    /** A response: status and body. */
    record Response(int status, String body) {}

    Response send(String method, String host, String pathAndQuery, List<String> headers, @Nullable String body)
            throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = new Socket();
            socket.connect(target, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder(method)
                .append(' ')
                .append(pathAndQuery)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(host)
                .append("\r\n");
        for (String h : headers) {
            req.append(h.trim()).append("\r\n");
        }
        if (payload.length > 0 || !"GET".equals(method)) {
            req.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        req.append("\r\n");
        OutputStream o = Objects.requireNonNull(out, "connected above");
        o.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        o.write(payload);
        o.flush();
        return read();
    }

    /** The connection's input; send() connects before it reads. */
    private InputStream input() {
        return Objects.requireNonNull(in, "not connected");
    }

    private Response read() throws IOException {
        String status = line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            close();
            throw new IOException("not an HTTP/1.1 response: '" + status + "'");
        }
        int code = Integer.parseInt(parts[1]);
        int length = -1;
        boolean closeAfter = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = colon < 0 ? h : h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : h.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                closeAfter = true;
            } else if (name.equals("transfer-encoding")) {
                close();
                throw new IOException("chunked responses are not supported by the gateway client");
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (length >= 0) {
            body.write(input().readNBytes(length));
        } else {
            body.write(input().readAllBytes());
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Response(code, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = input().read(); c != '\n'; c = input().read()) {
            if (c < 0) {
                close();
                throw new IOException("connection closed by " + target);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing left to do
            }
            socket = null;
        }
    }
}
