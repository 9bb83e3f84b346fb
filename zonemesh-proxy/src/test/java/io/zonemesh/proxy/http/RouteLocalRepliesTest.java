package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.proxy.config.LocalResponse;
import io.zonemesh.proxy.config.PathMatcher;
import io.zonemesh.proxy.config.RouteRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteLocalRepliesTest {
    private static final LocalResponse.Redirect HTTPS =
            new LocalResponse.Redirect("https", null, 0, null, null, false, 301);

    private static RouteRule route(LocalResponse local) {
        return new RouteRule(
                "r",
                new PathMatcher.Prefix("/old", true),
                List.of(),
                List.of(),
                null,
                local,
                io.zonemesh.proxy.config.HeaderEdits.NONE,
                null);
    }

    @Test
    void httpsRedirectDropsTheOldSchemesDefaultPortAndKeepsOthers() {
        assertThat(RouteLocalReplies.location(HTTPS, route(HTTPS), "http", "shop.example:80", "/a?b=1"))
                .isEqualTo("https://shop.example/a?b=1");
        assertThat(RouteLocalReplies.location(HTTPS, route(HTTPS), "http", "shop.example:8080", "/a"))
                .isEqualTo("https://shop.example:8080/a");
        assertThat(RouteLocalReplies.location(HTTPS, route(HTTPS), "http", "shop.example", "/a"))
                .isEqualTo("https://shop.example/a");
    }

    @Test
    void aQueryInPathRedirectReplacesTheRequestsEvenWhenStripping() {
        LocalResponse.Redirect redirect = new LocalResponse.Redirect(null, null, 0, "/new?foo=1", null, true, 308);

        assertThat(RouteLocalReplies.location(redirect, route(redirect), "http", "h", "/old?bar=1"))
                .isEqualTo("http://h/new?foo=1");
    }

    @Test
    void hostRedirectDropsTheRequestPortUnlessAPortRedirectIsSet() {
        LocalResponse.Redirect host = new LocalResponse.Redirect(null, "b.example", 0, null, null, false, 301);
        LocalResponse.Redirect hostAndPort =
                new LocalResponse.Redirect(null, "b.example", 9000, null, "/n", false, 301);

        assertThat(RouteLocalReplies.location(host, route(host), "http", "a.example:5000", "/x"))
                .isEqualTo("http://b.example/x");
        assertThat(RouteLocalReplies.location(hostAndPort, route(hostAndPort), "http", "a.example:5000", "/old/x"))
                .isEqualTo("http://b.example:9000/n/x");
    }
}
