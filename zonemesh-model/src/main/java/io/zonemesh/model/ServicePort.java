package io.zonemesh.model;

import java.util.Objects;

/**
 * A port of a service. {@code targetPort} is the port its endpoints listen on (0 when the
 * service leaves it to each endpoint, as the port map of a ServiceEntry endpoint does).
 */
public record ServicePort(String name, int port, int targetPort, Protocol protocol) {
    public ServicePort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        if (targetPort < 0 || targetPort > 65535) {
            throw new IllegalArgumentException("targetPort: " + targetPort + " (expected: 0-65535)");
        }
    }
}
