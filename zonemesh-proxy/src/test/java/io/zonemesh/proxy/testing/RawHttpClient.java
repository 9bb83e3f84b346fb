package io.zonemesh.proxy.testing;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small blocking HTTP/1.1 client over a plain socket to 127.0.0.1, so tests
 * control exactly what goes on the wire and which connection carries it. Every read times out
 * after 10s.
 */
public final class RawHttpClient implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttpClient(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection to 127.0.0.1:{@code port}. */
    public static RawHttpClient connect(int port) {
        return new RawHttpClient(port);
    }

    /**
     * Waits, up to 10 s, until a connect to 127.0.0.1:{@code port} is refused. A closed listener
     * on epoll refuses at once; on NIO the JDK frees a listening socket that a selector holds only
     * at that selector's next select, so a connect just after the close may still be accepted
     * (and then reset).
     */
    public static void awaitRefused(int port) {
        await().atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> refuses(port));
    }

    private static boolean refuses(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            return false;
        }
    }

    /** Sends {@code request} on a new connection, reads one response, closes. */
    public static Response exchange(int port, String request) {
        try (RawHttpClient client = connect(port)) {
            return client.send(request);
        }
    }

    /** {@code GET uri} through an HTTP proxy at {@code port}, on a new connection. */
    public static Response get(int port, String absoluteUri) {
        return exchange(
                port,
                "GET " + absoluteUri + " HTTP/1.1\r\nHost: " + authority(absoluteUri)
                        + "\r\nConnection: close\r\n\r\n");
    }

    private static String authority(String absoluteUri) {
        String rest = absoluteUri.substring(absoluteUri.indexOf("//") + 2);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** Writes {@code request} as is and reads one response. */
    public Response send(String request) {
        write(request);
        return read();
    }

    public void write(String request) {
        try {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response. */
    public Response read() {
        try {
            String statusLine = line();
            if (statusLine == null) {
                throw new UncheckedIOException(new IOException("connection closed before a response"));
            }
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            String header;
            while ((header = line()) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                headers.merge(
                        header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim(),
                        (a, b) -> a + "," + b);
            }
            String length = headers.get("content-length");
            byte[] body;
            if (length != null) {
                body = in.readNBytes(Integer.parseInt(length));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = readChunked();
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A chunked body (RFC 9112 §7.1), trailers skipped. */
    private byte[] readChunked() throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            if (sizeLine == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                String trailer;
                while ((trailer = line()) != null && !trailer.isEmpty()) {
                    // trailers are not reported
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line();
        }
    }

    /**
     * Reads a response's status line and headers only, for responses without a body on the
     * wire (HEAD); returns them with CRLF line ends.
     */
    public String readHead() {
        try {
            StringBuilder head = new StringBuilder();
            String line;
            while ((line = line()) != null && !line.isEmpty()) {
                head.append(line).append("\r\n");
            }
            return head.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server has closed this connection (a read sees end of stream within 10s). */
    public boolean closedByPeer() {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String line = buffer.toString(StandardCharsets.ISO_8859_1);
                return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            }
            buffer.write(b);
        }
        return buffer.size() == 0 ? null : buffer.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parsed response; header names are lower-case. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }
}
