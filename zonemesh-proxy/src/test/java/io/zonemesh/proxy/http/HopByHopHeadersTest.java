package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

    @Test
    void stripsTheConnectionHeadersAndEveryHeaderTheyName() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "close, X-Hop")
                .add("X-Hop", "1")
                .add("Keep-Alive", "timeout=5")
                .add("TE", "trailers")
                .add("Trailer", "x")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "h2c")
                .add("X-Kept", "yes");

        HopByHopHeaders.strip(headers);

        assertThat(headers.names()).containsExactly("X-Kept");
    }

    @Test
    void stripsTheHeadersMeantForTheProxyItself() {
        // RFC 9110 §11.7: Proxy-Authorization and Proxy-Authenticate are for the next proxy on
        // the chain only; forwarding the first would hand the client's proxy credentials to the
        // application.
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Proxy-Authorization", "Basic c2VjcmV0OnNlY3JldA==")
                .add("proxy-authenticate", "Basic")
                .add("Proxy-Connection", "keep-alive")
                .add("Authorization", "Bearer app-token");

        HopByHopHeaders.strip(headers);

        assertThat(headers.names()).containsExactly("Authorization");
    }
}
