package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class RequestTargetTest {

    private static HttpRequest request(String uri, String host) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        if (host != null) {
            request.headers().set("Host", host);
        }
        return request;
    }

    @Test
    void absoluteFormTakesTheAuthorityFromTheUri() {
        assertThat(RequestTarget.of(request("http://helloworld.sample:5000/hello?x=1", "other")))
                .isEqualTo(new RequestTarget("helloworld.sample:5000", "/hello?x=1"));
        assertThat(RequestTarget.of(request("HTTP://a.b", null))).isEqualTo(new RequestTarget("a.b", "/"));
        assertThat(RequestTarget.of(request("http://a.b?q", null))).isEqualTo(new RequestTarget("a.b", "/?q"));
    }

    @Test
    void originFormUsesTheHostHeader() {
        assertThat(RequestTarget.of(request("/hello", "helloworld.sample:5000")))
                .isEqualTo(new RequestTarget("helloworld.sample:5000", "/hello"));
        assertThat(RequestTarget.of(request("/hello", null))).isNull();
    }

    @Test
    void formsThatAreNotProxiedHaveNoTarget() {
        assertThat(RequestTarget.of(request("https://secure.example/", "secure.example")))
                .isNull();
        assertThat(RequestTarget.of(request("secure.example:443", "secure.example:443")))
                .isNull();
        assertThat(RequestTarget.of(request("*", "x"))).isNull();
        assertThat(RequestTarget.of(request("http://user@host/", null))).isNull();
    }
}
