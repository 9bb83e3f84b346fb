package io.zonemesh.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.http.ResponseFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Istio's TCP reporting: opened once, bytes every 5 s and at close, closed once. */
class TcpSessionTest {
    private final List<String> events = new ArrayList<>();
    private final TcpObserver recorder = new TcpObserver() {
        @Override
        public void onOpened(TcpConnectionRecord record) {
            events.add("opened " + record.flags());
        }

        @Override
        public void onBytes(TcpConnectionRecord record, long received, long sent) {
            events.add("bytes " + received + "/" + sent);
        }

        @Override
        public void onClosed(TcpConnectionRecord record) {
            events.add("closed " + record.flags());
        }
    };

    @Test
    void reportsBytesEveryReportingIntervalAndTheRestAtClose() {
        TcpSession session = new TcpSession(recorder, "0.0.0.0_15443", Direction.OUTBOUND);
        EmbeddedChannel channel = new EmbeddedChannel(session.byteCounter());
        session.received(10);
        session.onConnected(channel);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[7]));

        channel.advanceTimeBy(5, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        // Nothing moved in the next interval: no report.
        channel.advanceTimeBy(5, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[3]));
        channel.close();

        assertThat(events).containsExactly("opened []", "bytes 110/7", "bytes 3/0", "closed []");
        releaseAll(channel);
    }

    @Test
    void aConnectionThatNeverReachedItsUpstreamIsReportedOpenedAndClosedWithItsFlags() {
        TcpSession session = new TcpSession(recorder, "0.0.0.0_15443", Direction.OUTBOUND);
        session.flag(ResponseFlag.UPSTREAM_CONNECT_FAILURE);
        session.flag(ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
        session.flag(ResponseFlag.UPSTREAM_CONNECT_FAILURE);

        session.onClosed();
        session.onClosed();

        assertThat(events)
                .containsExactly(
                        "opened [UPSTREAM_CONNECT_FAILURE, UPSTREAM_RETRY_LIMIT_EXCEEDED]",
                        "closed [UPSTREAM_CONNECT_FAILURE, UPSTREAM_RETRY_LIMIT_EXCEEDED]");
    }

    private static void releaseAll(EmbeddedChannel channel) {
        for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
            ((ByteBuf) msg).release();
        }
        channel.finishAndReleaseAll();
    }
}
