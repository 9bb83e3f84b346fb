package io.zonemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
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
        EventLoopGroup other = new DefaultEventLoopGroup(1);
        try {
            assertThat(Transport.of(nio)).isEqualTo(Transport.NIO);
            assertThatThrownBy(() -> Transport.of(other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith(": expected an NIO or epoll group");
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            other.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        assumeThat(Epoll.isAvailable()).as("epoll loads on this machine").isTrue();
        EventLoopGroup epoll = Transport.EPOLL.newGroup(1, new DefaultThreadFactory("transport-test-epoll"));
        try {
            assertThat(Transport.of(epoll)).isEqualTo(Transport.EPOLL);
        } finally {
            epoll.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void anAddressInUseIsABindExceptionOnEitherTransport() throws Exception {
        assertThat(Transport.isAddressInUse(new IllegalStateException(new BindException("in use"))))
                .isTrue();
        assertThat(Transport.isAddressInUse(new IOException("connection reset")))
                .isFalse();
        for (Transport transport :
                Epoll.isAvailable() ? List.of(Transport.NIO, Transport.EPOLL) : List.of(Transport.NIO)) {
            EventLoopGroup group = transport.newGroup(1, new DefaultThreadFactory("transport-test-bind"));
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                ChannelFuture bind = new ServerBootstrap()
                        .group(group)
                        .channel(transport.serverChannelType())
                        .childHandler(new ChannelInboundHandlerAdapter())
                        .bind(taken.getInetAddress(), taken.getLocalPort())
                        .await();

                assertThat(bind.isSuccess()).as(transport.name()).isFalse();
                assertThat(Transport.isAddressInUse(bind.cause()))
                        .as(transport.name())
                        .isTrue();
                assertThat(Transport.asBindException((Exception) bind.cause()))
                        .as(transport.name())
                        .isInstanceOf(BindException.class)
                        .hasMessageContaining("in use");
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }
}
