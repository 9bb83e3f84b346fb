package io.zonemesh.proxy.testing;

import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.ProxyOptions;
import io.zonemesh.proxy.Transport;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.xds.NodeIdentity;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The set-up of the end-to-end tests whose mesh is their own (several upstreams, their own
 * clusters, routes and listeners): an event-loop group, an in-process ADS server on loopback,
 * any number of {@link EchoServer}s, and one proxy of node {@code sleep-1.sample} that logs its
 * requests into {@link #records}. The test sets the resources in {@link #ads} before
 * {@link #start}. {@link ProxyFixture} is the same with one cluster and one upstream made for
 * the test. Close it after each test.
 */
public final class MeshFixture implements AutoCloseable {
    public static final Duration WAIT = ProxyFixture.WAIT;

    public final FakeAdsServer ads = new FakeAdsServer();
    public final List<RequestRecord> records = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group;
    private final Server adsServer;
    private final List<EchoServer> servers = new ArrayList<>();
    private @Nullable ZonemeshProxy proxy;

    /** @param name names the event-loop threads (the test class), for thread dumps */
    public MeshFixture(String name) {
        this(name, 2);
    }

    /** @param threads event loops of the proxy and the upstreams */
    public MeshFixture(String name, int threads) {
        group = Transport.preferred().newGroup(threads, new DefaultThreadFactory(name));
        adsServer = ads.startOnLoopback();
    }

    /** An upstream on loopback, closed with the fixture. */
    public EchoServer server(String name) {
        EchoServer server = new EchoServer(name, group);
        servers.add(server);
        return server;
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Starts the proxy on the resources set so far and waits until it is ready. */
    public ZonemeshProxy start() {
        return start(b -> b);
    }

    /** @param options adjusts the builder (node, random source, ...) before the proxy is built */
    public ZonemeshProxy start(UnaryOperator<ProxyOptions.Builder> options) {
        ZonemeshProxy started = options.apply(ZonemeshProxy.builder()
                        .xdsServer("127.0.0.1:" + adsServer.getPort())
                        .node(NodeIdentity.sidecar("sleep-1", "sample", "sleep"))
                        .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                        .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                        .eventLoopGroup(group)
                        .shutdownTimeout(Duration.ofSeconds(5))
                        .requestObserver(records::add))
                .build()
                .start();
        proxy = started;
        await().atMost(WAIT).until(started::ready);
        return started;
    }

    /** The proxy of the last {@link #start}. */
    public ZonemeshProxy proxy() {
        ZonemeshProxy started = proxy;
        if (started == null) {
            throw new IllegalStateException("the proxy was not started");
        }
        return started;
    }

    public RequestRecord lastRecord() {
        return records.get(records.size() - 1);
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
        servers.forEach(EchoServer::close);
        adsServer.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
