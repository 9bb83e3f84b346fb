package io.zonemesh.bench.load;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where the open-loop sender connects and what it asks for: {@code GET path} with {@code Host: host}
 * over HTTP/1.1 keep-alive to {@code address} (a backend, or a sidecar's outbound listener, which
 * routes by the Host header as an application using {@code http_proxy} would be routed).
 *
 * @param name a label for reports ("direct", "mesh")
 */
public record LoadTarget(String name, InetSocketAddress address, String host, String path) {
    public LoadTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(host, "host");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + " (expected: starting with /)");
        }
    }

    /**
     * Parses {@code NAME=HOST:PORT[,host=HOSTHEADER][,path=/p]}; the Host header defaults to
     * {@code HOST:PORT}, the path to {@code /}.
     */
    public static LoadTarget parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("target: " + spec + " (expected: NAME=HOST:PORT[,host=H][,path=/p])");
        }
        String[] parts = spec.substring(eq + 1).split(",");
        String hostPort = parts[0];
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("target: " + spec + " (expected: HOST:PORT after NAME=)");
        }
        InetSocketAddress address =
                new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        String host = hostPort;
        String path = "/";
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("host=")) {
                host = parts[i].substring(5);
            } else if (parts[i].startsWith("path=")) {
                path = parts[i].substring(5);
            } else {
                throw new IllegalArgumentException(
                        "target: " + spec + ": " + parts[i] + " (expected: host=... or path=...)");
            }
        }
        return new LoadTarget(spec.substring(0, eq), address, host, path);
    }
}
