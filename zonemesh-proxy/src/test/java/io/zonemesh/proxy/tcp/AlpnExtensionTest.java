package io.zonemesh.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ALPN list of a real ClientHello, and nothing (never an exception) from a cut one. */
class AlpnExtensionTest {

    @Test
    void readsTheOfferedProtocolsInTheClientsOrderAndSurvivesTruncation() throws Exception {
        ByteBuf hello = clientHello("istio-peer-exchange", "istio");
        try {
            assertThat(AlpnExtension.protocols(hello)).containsExactly("istio-peer-exchange", "istio");
            for (int length = 0; length < hello.readableBytes(); length += 7) {
                assertThat(AlpnExtension.protocols(hello.slice(hello.readerIndex(), length)))
                        .isIn(List.of(), List.of("istio-peer-exchange", "istio"));
            }
        } finally {
            hello.release();
        }
    }

    /** A JDK client's ClientHello body: the first record without its 5-byte header and 4-byte handshake header. */
    private static ByteBuf clientHello(String... alpn) throws Exception {
        SslContext context = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        alpn))
                .build();
        EmbeddedChannel client = new EmbeddedChannel();
        client.pipeline().addLast(context.newHandler(client.alloc()));
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf part = client.readOutbound(); part != null; part = client.readOutbound()) {
            all.writeBytes(part);
            part.release();
        }
        client.finishAndReleaseAll();
        int recordLength = all.getUnsignedShort(3);
        ByteBuf body = all.copy(9, recordLength - 4);
        all.release();
        return body;
    }
}
