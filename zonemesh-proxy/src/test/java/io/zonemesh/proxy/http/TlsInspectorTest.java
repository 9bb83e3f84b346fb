package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zonemesh.proxy.config.FilterChainConfig;
import io.zonemesh.proxy.config.ForwardClientCert;
import io.zonemesh.proxy.config.RouteTable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** tls_inspector's decision from the first bytes, and the inbound's chain selection. */
class TlsInspectorTest {
    private final List<String> detected = new ArrayList<>();
    private final List<ByteBuf> handedOn = new ArrayList<>();
    private EmbeddedChannel channel;

    @AfterEach
    void release() {
        handedOn.forEach(ByteBuf::release);
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel inspect() {
        channel = new EmbeddedChannel(new TlsInspector(
                (ctx, protocol) -> {
                    detected.add(protocol);
                    ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext c, Object msg) {
                            handedOn.add((ByteBuf) msg);
                        }
                    });
                },
                Duration.ofSeconds(15)));
        return channel;
    }

    private static ByteBuf bytes(int... values) {
        ByteBuf buf = Unpooled.buffer();
        for (int v : values) {
            buf.writeByte(v);
        }
        return buf;
    }

    @Test
    void anHttpRequestIsPlaintextAtItsFirstByteAndReachesTheChainWhole() {
        inspect().writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));

        assertThat(detected).containsExactly("raw_buffer");
        assertThat(handedOn).hasSize(1);
        assertThat(handedOn.get(0).toString(StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.1\r\n");
        assertThat(channel.pipeline().get(TlsInspector.class)).isNull();
    }

    @Test
    void aTlsRecordHeaderIsTlsOnceAllFiveBytesCame() {
        inspect().writeInbound(bytes(0x16, 0x03));
        assertThat(detected).isEmpty();

        channel.writeInbound(bytes(0x01, 0x00, 0x20, 0x01));

        assertThat(detected).containsExactly("tls");
        assertThat(handedOn.stream().mapToInt(ByteBuf::readableBytes).sum()).isEqualTo(6);
    }

    @Test
    void aHandshakeByteWithoutATlsVersionIsPlaintext() {
        inspect().writeInbound(bytes(0x16, 0x09, 0x09, 0x00, 0x05));

        assertThat(detected).containsExactly("raw_buffer");
    }

    @Test
    void aClientThatSaysNothingIsPlaintextAfterTheListenerFiltersTimeout() {
        inspect();
        channel.advanceTimeBy(14, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(detected).isEmpty();

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(detected).containsExactly("raw_buffer");
    }

    private static FilterChainConfig chain(int port, String transport) {
        return new FilterChainConfig(
                "inbound_0.0.0.0_" + port,
                port,
                transport,
                null,
                null,
                new RouteTable("inbound|" + port + "||", List.of()),
                ForwardClientCert.SANITIZE);
    }

    @Test
    void chainSelectionPrefersThePortThenTheProtocolAndNeverFallsBackAcrossPorts() {
        FilterChainConfig strictTls = chain(8080, "tls");
        FilterChainConfig anyPortPlain = chain(0, "raw_buffer");
        FilterChainConfig anyPortAny = chain(0, "");
        List<FilterChainConfig> chains = List.of(strictTls, anyPortPlain, anyPortAny);

        assertThat(InboundChains.select(chains, 8080, "tls")).isSameAs(strictTls);
        // STRICT: plaintext to 8080 finds no chain, although port-less plaintext chains exist.
        assertThat(InboundChains.select(chains, 8080, "raw_buffer")).isNull();
        assertThat(InboundChains.select(chains, 9090, "raw_buffer")).isSameAs(anyPortPlain);
        assertThat(InboundChains.select(chains, 9090, "tls")).isSameAs(anyPortAny);
        assertThat(InboundChains.select(List.of(strictTls), 9090, "tls")).isNull();
    }
}
