package io.zonemesh.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpiffeIdTest {

    @Test
    void parsesAndPrintsIstioForm() {
        SpiffeId id = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/cart");
        assertThat(id).isEqualTo(new SpiffeId("cluster.local", "shop", "cart"));
        assertThat(id.uri()).isEqualTo("spiffe://cluster.local/ns/shop/sa/cart");
        assertThat(SpiffeId.of("shop", "cart").trustDomain()).isEqualTo(SpiffeId.DEFAULT_TRUST_DOMAIN);
    }

    @Test
    void refusesOtherShapesNamingTheExpectedForm() {
        assertThatThrownBy(() -> SpiffeId.parse("https://cluster.local/ns/a/sa/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: spiffe://<trust domain>/ns/<namespace>/sa/<service account>");
        assertThatThrownBy(() -> SpiffeId.parse("spiffe://cluster.local/ns/a/sa/b/extra"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiffeId.parse("spiffe://cluster.local/sa/a/ns/b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiffeId.parse("spiffe://cluster.local/ns//sa/b"))
                .hasMessageContaining("namespace: \"\"");
        assertThatThrownBy(() -> SpiffeId.parse("spiffe://Cluster.Local/ns/a/sa/b"))
                .hasMessageContaining("trustDomain: Cluster.Local");
    }
}
