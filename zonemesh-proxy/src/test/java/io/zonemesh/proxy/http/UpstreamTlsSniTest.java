package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import io.zonemesh.proxy.config.UpstreamTls;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The upstream ClientHello carries the cluster's SNI, Istio's names included. */
class UpstreamTlsSniTest {

    /** Both engines the mesh may use (TlsProviders), BoringSSL where its natives load. */
    static List<SslProvider> providers() {
        return OpenSsl.isAvailable() ? List.of(SslProvider.JDK, SslProvider.OPENSSL) : List.of(SslProvider.JDK);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void sendsIstioSniNamesThatTheJdkWouldDrop(SslProvider provider) throws Exception {
        assertThat(sniOf(provider, "outbound_.8000_._.httpbin.bar.global"))
                .isEqualTo("outbound_.8000_._.httpbin.bar.global");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void sendsOrdinaryHostNamesAsTheJdkDoes(SslProvider provider) throws Exception {
        assertThat(sniOf(provider, "httpbin.org")).isEqualTo("httpbin.org");
    }

    private static String sniOf(SslProvider provider, String sni) throws Exception {
        SslContext context = SslContextBuilder.forClient()
                .sslProvider(provider)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build();
        UpstreamTls tls = new UpstreamTls(context, sni, List.of(), "test");
        EmbeddedChannel client = new EmbeddedChannel();
        client.pipeline().addLast(UpstreamTlsContexts.newHandler(context, tls, client, 15443));
        AtomicReference<String> seen = new AtomicReference<>();
        EmbeddedChannel server = new EmbeddedChannel(new AbstractSniHandler<String>() {
            @Override
            protected Future<String> lookup(ChannelHandlerContext ctx, String hostname) {
                seen.set(hostname);
                return ctx.executor().newSucceededFuture(hostname);
            }

            @Override
            protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<String> future) {
                ctx.pipeline().remove(this);
            }
        });
        for (ByteBuf hello = client.readOutbound(); hello != null; hello = client.readOutbound()) {
            server.writeInbound(hello);
        }
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
        return seen.get();
    }
}
