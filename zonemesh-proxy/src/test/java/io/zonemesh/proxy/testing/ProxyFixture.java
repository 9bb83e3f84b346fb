package io.zonemesh.proxy.testing;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.grpc.Server;
import io.netty.channel.EventLoopGroup;
import io.zonemesh.proxy.ProxyOptions;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ResourceType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One proxy wired to an in-process ADS server on loopback, serving {@code helloworld.sample:5000}
 * from one cluster whose single endpoint is an {@link EchoServer}. Close it after each test.
 */
public final class ProxyFixture implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(30);
    public static final String CLUSTER = "outbound|5000||helloworld.sample.svc.cluster.local";
    public static final String AUTHORITY = "helloworld.sample:5000";

    public final FakeAdsServer ads = new FakeAdsServer();
    public final FakeLoadBalancerFactory balancers = new FakeLoadBalancerFactory();
    public final EchoServer upstream;
    public final ZonemeshProxy proxy;
    private final Server adsServer;

    /** @param options adjusts the builder before the proxy is built */
    public ProxyFixture(EventLoopGroup upstreamGroup, UnaryOperator<ProxyOptions.Builder> options) {
        adsServer = ads.startOnLoopback();
        upstream = new EchoServer("upstream", upstreamGroup);
        proxy = options.apply(ZonemeshProxy.builder()
                        .xdsServer("127.0.0.1:" + adsServer.getPort())
                        .node(NodeIdentity.sidecar("client-1", "sample", "client"))
                        .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                        .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                        .ioThreads(1)
                        .shutdownTimeout(Duration.ofSeconds(5))
                        .loadBalancerFactory(balancers))
                .build();
    }

    /** The cluster as the tests here configure it, for variations. */
    public static Cluster.Builder cluster() {
        return edsCluster(CLUSTER).setConnectTimeout(millis(1000));
    }

    /** Serves {@code cluster} and the rest of the mesh, starts the proxy and waits until ready. */
    public ProxyFixture start(Cluster cluster) {
        ads.set(ResourceType.CLUSTER, "1", cluster);
        ads.set(ResourceType.ENDPOINT, "1", cla(CLUSTER, locality("r", "z", 0, upstream.address())));
        ads.set(ResourceType.LISTENER, "1", outboundListener());
        ads.set(ResourceType.ROUTE, "1", routeConfig("http_proxy", virtualHost("hello", List.of(AUTHORITY), CLUSTER)));
        proxy.start();
        await().atMost(WAIT).until(proxy::ready);
        return this;
    }

    /** A raw request line and headers for {@code path} through the proxy's absolute form. */
    public static String request(String method, String path, String extraHeaders) {
        return method + " http://" + AUTHORITY + path + " HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n" + extraHeaders
                + "\r\n";
    }

    public int port() {
        return proxy.outboundPort();
    }

    @Override
    public void close() {
        proxy.close();
        upstream.close();
        adsServer.shutdownNow();
    }
}
