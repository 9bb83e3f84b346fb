package io.zonemesh.proxy.capture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.xds.NodeIdentity;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CaptureListenersTest {
    @Test
    void tproxyOnNioFailsTheStartNamingWhy() {
        EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            ZonemeshProxy proxy = ZonemeshProxy.builder()
                    .xdsServer("127.0.0.1:1")
                    .node(NodeIdentity.sidecar("p", "ns", "p"))
                    .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                    .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                    .eventLoopGroup(nio)
                    .capture(CaptureMode.TPROXY)
                    .build();
            assertThatThrownBy(proxy::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("capture TPROXY: the listeners need IP_TRANSPARENT, which only Netty's "
                            + "epoll transport sets (transport: NIO");
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
