package io.zonemesh.proxy.accesslog;

/** A format string or JSON format Envoy would reject; the message names the operator or position. */
public final class FormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public FormatException(String message) {
        super(message);
        this.reason = message;
    }

    /** The message, never null. */
    public String reason() {
        return reason;
    }
}
