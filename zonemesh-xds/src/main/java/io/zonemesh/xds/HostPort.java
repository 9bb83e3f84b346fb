package io.zonemesh.xds;

import java.util.Objects;

/**
 * A {@code host:port} pair as written in {@link ProxyIdentity#appPorts()}; IPv6 hosts are
 * bracketed ({@code [::1]:8080}).
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host: \"\" (expected: non-empty)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
    }

    /** Parses {@code host:port} or {@code [ipv6]:port}. */
    public static HostPort parse(String value) {
        Objects.requireNonNull(value, "value");
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("address: " + value + " (expected: host:port)");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("address: " + value + " (expected: [ipv6]:port)");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address: " + value + " (expected: host:port)", e);
        }
        return new HostPort(host, port);
    }
}
