package io.zonemesh.security.ca;

import io.grpc.Metadata;
import io.zonemesh.security.SpiffeId;

/**
 * Who is calling the CA, from the call's headers (Istio {@code security/pkg/server/ca/authenticate}):
 * the identity returned is the one signed, whatever the CSR asks for.
 */
public interface Authenticator {
    /** The {@code authorization} header, as istio-agent sends it ({@code Bearer <token>}). */
    Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * The caller's identity.
     *
     * @throws AuthenticationException when the caller cannot be authenticated, saying why
     */
    SpiffeId authenticate(Metadata headers) throws AuthenticationException;

    /**
     * The token of an {@code authorization: Bearer <token>} header.
     *
     * @throws AuthenticationException when the header is missing or not a bearer token
     */
    static String bearerToken(Metadata headers) throws AuthenticationException {
        String value = headers.get(AUTHORIZATION);
        if (value == null) {
            throw new AuthenticationException("no authorization header (expected: authorization: Bearer <token>)");
        }
        // RFC 6750: the scheme is case-insensitive.
        if (value.length() <= 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthenticationException("authorization header is not a bearer token (expected: Bearer <token>)");
        }
        String token = value.substring(7).trim();
        if (token.isEmpty()) {
            throw new AuthenticationException("authorization header has an empty bearer token");
        }
        return token;
    }
}
