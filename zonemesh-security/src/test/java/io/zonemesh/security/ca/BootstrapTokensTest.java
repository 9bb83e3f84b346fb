package io.zonemesh.security.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Metadata;
import io.zonemesh.security.SpiffeId;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class BootstrapTokensTest {
    private final BootstrapTokens tokens = new BootstrapTokens(new SecureRandom());

    private static Metadata authorization(String value) {
        Metadata m = new Metadata();
        m.put(Authenticator.AUTHORIZATION, value);
        return m;
    }

    @Test
    void aTokenAuthenticatesTheIdentityItWasIssuedFor() throws Exception {
        String cart = tokens.issue(SpiffeId.of("shop", "cart"));
        String db = tokens.issue(SpiffeId.of("shop", "db"));
        assertThat(cart).matches("[A-Za-z0-9_-]{43}"); // 32 bytes, base64url without padding
        assertThat(cart).isNotEqualTo(db);
        assertThat(tokens.authenticate(authorization("Bearer " + cart))).isEqualTo(SpiffeId.of("shop", "cart"));
        assertThat(tokens.authenticate(authorization("bearer " + db))).isEqualTo(SpiffeId.of("shop", "db"));
    }

    @Test
    void revokedMissingAndMalformedCredentialsAreRefused() {
        String cart = tokens.issue(SpiffeId.of("shop", "cart"));
        String db = tokens.issue(SpiffeId.of("shop", "db"));
        tokens.revoke(SpiffeId.of("shop", "cart"));
        assertThatThrownBy(() -> tokens.authenticate(authorization("Bearer " + cart)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("unknown or revoked");
        assertThatThrownBy(() -> tokens.authenticate(new Metadata())).hasMessageContaining("no authorization header");
        assertThatThrownBy(() -> tokens.authenticate(authorization("Basic " + db)))
                .hasMessageContaining("not a bearer token");
        assertThatThrownBy(() -> tokens.authenticate(authorization("Bearer  ")))
                .isInstanceOf(AuthenticationException.class);
    }
}
