package io.zonemesh.cli.capture;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A helloworld pod's application for {@link CaptureNetnsTest}, run in its own network namespace:
 * answers {@code Hello version: <version>} on every port given, and on {@code /peer} the address
 * the connection came from (through its own sidecar: loopback). Knows nothing of any proxy.
 */
public final class NetnsHelloServer {
    private NetnsHelloServer() {}

    public static void main(String[] args) throws IOException {
        String version = args[0];
        byte[] body = ("Hello version: " + version + "\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i < args.length; i++) {
            HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", Integer.parseInt(args[i])), 16);
            server.createContext("/peer", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] peer = exchange.getRemoteAddress()
                        .getAddress()
                        .getHostAddress()
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, peer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(peer);
                }
            });
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }
        // The test waits for this line (its stdout is a pipe).
        PrintStream out =
                new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.println("listening");
    }
}
