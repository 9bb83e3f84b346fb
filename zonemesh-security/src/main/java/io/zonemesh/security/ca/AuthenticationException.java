package io.zonemesh.security.ca;

/** A CA caller could not be authenticated; the message says why (it is sent back as UNAUTHENTICATED). */
public final class AuthenticationException extends Exception {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
