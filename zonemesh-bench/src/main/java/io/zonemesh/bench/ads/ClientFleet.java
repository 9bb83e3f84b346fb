package io.zonemesh.bench.ads;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.protobuf.ProtoUtils;
import io.zonemesh.common.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The simulated proxies and their transport: one gRPC channel (one HTTP/2 connection) per
 * {@code clientsPerChannel} streams, all on a small shared event-loop group with callbacks run
 * directly on the event loop, so a thousand proxies need one or two threads.
 */
final class ClientFleet implements AutoCloseable {
    /** Our proxy's limit too: a 1,000-service EDS response is several megabytes. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private static final MethodDescriptor<DiscoveryRequest, ResponseView> ADS =
            AggregatedDiscoveryServiceGrpc.getStreamAggregatedResourcesMethod().toBuilder(
                            ProtoUtils.marshaller(DiscoveryRequest.getDefaultInstance()), ResponseView.MARSHALLER)
                    .build();

    private final EventLoopGroup group;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<SimulatedProxy> proxies = new ArrayList<>();
    private final AckLog log;

    ClientFleet(List<Node> nodes, int port, int clientsPerChannel, int threads, Clock clock) {
        this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory("ads-client", true));
        this.log = new AckLog(clock, nodes.size());
        NameLists names = new NameLists();
        for (int i = 0; i < nodes.size(); i++) {
            proxies.add(new SimulatedProxy(i, nodes.get(i), log, clock, names));
        }
        int channelCount = (nodes.size() + clientsPerChannel - 1) / clientsPerChannel;
        for (int c = 0; c < channelCount; c++) {
            channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port)
                    .usePlaintext()
                    .eventLoopGroup(group)
                    .channelType(NioSocketChannel.class)
                    .directExecutor()
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                    .build());
        }
    }

    AckLog log() {
        return log;
    }

    /** Opens every stream; returns at once, responses arrive on the event loops. */
    void start() {
        for (int i = 0; i < proxies.size(); i++) {
            proxies.get(i).start(channels.get(i % channels.size()), ADS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        proxies.forEach(SimulatedProxy::close);
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
        for (ManagedChannel ch : channels) {
            ch.awaitTermination(10, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
