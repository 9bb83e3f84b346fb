package io.zonemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransportTest {
    private static final Throwable NO_EPOLL = new UnsatisfiedLinkError("no netty_transport_native_epoll");

    @Test
    void autoPicksEpollWhereItLoadsAndNioElsewhere() {
        assertThat(Transport.choose("auto", null)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose(" AUTO ", NO_EPOLL)).isEqualTo(Transport.NIO);
        assertThat(Transport.choose("nio", null)).isEqualTo(Transport.NIO);
        assertThat(Transport.choose("epoll", null)).isEqualTo(Transport.EPOLL);
    }

    @Test
    void askingForEpollWhereItCannotLoadSaysWhy() {
        assertThatThrownBy(() -> Transport.choose("epoll", NO_EPOLL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dzonemesh.transport=epoll: epoll is not available here ("
                        + "java.lang.UnsatisfiedLinkError: no netty_transport_native_epoll)");
        assertThatThrownBy(() -> Transport.choose("kqueue", null))
                .hasMessage("-Dzonemesh.transport=kqueue: unknown transport (expected: auto, epoll or nio)");
    }

    @Test
    void channelsFollowTheTransportOfTheGroupTheyJoin() throws Exception {
        EventLoopGroup nio = Transport.NIO.newGroup(1, new DefaultThreadFactory("transport-test-nio"));
        try {
            assertThat(Transport.of(nio)).isEqualTo(Transport.NIO);
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        assumeThat(Epoll.isAvailable()).as("epoll loads on this machine").isTrue();
        EventLoopGroup epoll = Transport.EPOLL.newGroup(1, new DefaultThreadFactory("transport-test-epoll"));
        try {
            assertThat(Transport.of(epoll)).isEqualTo(Transport.EPOLL);
        } finally {
            epoll.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
