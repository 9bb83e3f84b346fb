package io.zonemesh.security.ca;

import io.grpc.Metadata;
import io.zonemesh.security.SpiffeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-pod bearer credentials for {@code zonemesh up}, where there is no Kubernetes TokenReview: the
 * mesh runner issues one token per sidecar and the CA signs the identity the token was issued for.
 * Tokens are 32 random bytes (base64url); only their SHA-256 is kept, so a lookup's timing says
 * nothing about a valid token. Thread-safe.
 */
public final class BootstrapTokens implements Authenticator {
    private final SecureRandom random;
    private final Map<String, SpiffeId> identityByTokenHash = new ConcurrentHashMap<>();

    public BootstrapTokens(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new token for {@code identity}; earlier tokens of the same identity stay valid until revoked. */
    public String issue(SpiffeId identity) {
        Objects.requireNonNull(identity, "identity");
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        identityByTokenHash.put(hash(token), identity);
        return token;
    }

    /** Invalidates every token issued for {@code identity}. */
    public void revoke(SpiffeId identity) {
        identityByTokenHash.values().removeIf(identity::equals);
    }

    @Override
    public SpiffeId authenticate(Metadata headers) throws AuthenticationException {
        SpiffeId identity = identityByTokenHash.get(hash(Authenticator.bearerToken(headers)));
        if (identity == null) {
            throw new AuthenticationException("bearer token is not a valid bootstrap token (unknown or revoked)");
        }
        return identity;
    }

    private static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
