package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.istio.IstioHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The host resolution every module shares (it lives in zonemesh-model; tested here with its users). */
class IstioHostsTest {
    @ParameterizedTest
    @CsvSource({
        "helloworld, sample, helloworld.sample.svc.cluster.local",
        "reviews.prod, sample, reviews.prod.svc.cluster.local",
        "reviews.prod.svc.cluster.local, sample, reviews.prod.svc.cluster.local",
        "mydb.example.com, default, mydb.example.com",
        "'*', sample, '*'",
        "'*.example.com', sample, '*.example.com'",
        "10.0.0.1, sample, 10.0.0.1"
    })
    void resolvesHostsLikeIstio(String host, String namespace, String expected) {
        assertThat(IstioHosts.resolve(host, namespace)).isEqualTo(expected);
    }

    @Test
    void usesTheMeshDomainSuffix() {
        assertThat(IstioHosts.resolve("a", "b", "corp.internal")).isEqualTo("a.b.svc.corp.internal");
    }

    @Test
    void twoLabelHostsMayAlsoBeRealDomains() {
        assertThat(IstioHosts.candidates("httpbin.org", "default", "cluster.local"))
                .containsExactly("httpbin.org", "httpbin.org.svc.cluster.local");
        assertThat(IstioHosts.candidates("reviews", "shop", "cluster.local"))
                .containsExactly("reviews.shop.svc.cluster.local");
    }

    @Test
    void wildcardPatternsMatchLikeIstio() {
        assertThat(IstioHosts.matches("*", "anything.example.com")).isTrue();
        assertThat(IstioHosts.matches("*.example.com", "api.example.com")).isTrue();
        assertThat(IstioHosts.matches("*.example.com", "example.com")).isFalse();
        assertThat(IstioHosts.matches("api.example.com", "api.example.com")).isTrue();
    }
}
