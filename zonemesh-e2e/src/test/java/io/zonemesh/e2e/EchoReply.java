package io.zonemesh.e2e;

import java.util.Objects;

/** Which backend answered a call, and in which zone it runs. */
record EchoReply(String backend, String zone) {
    private static final char SEPARATOR = '@';

    EchoReply {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(zone, "zone");
        if (backend.isEmpty() || backend.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("backend: " + backend + " (expected: non-empty, without '@')");
        }
    }

    /** {@code <backend>@<zone>}, the reply message on the wire. */
    String encode() {
        return backend + SEPARATOR + zone;
    }

    static EchoReply decode(String message) {
        int at = message.indexOf(SEPARATOR);
        if (at <= 0) {
            throw new IllegalArgumentException("message: " + message + " (expected: <backend>@<zone>)");
        }
        return new EchoReply(message.substring(0, at), message.substring(at + 1));
    }
}
