package io.zonemesh.e2e;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC client that finds the echo service through grpc-java's own xDS resolver
 * ({@code xds:///<listener>}): listener, routes, clusters and endpoints all come from the control
 * plane named in the JVM's {@link GrpcXdsBootstrap}, and the choice of backend is grpc's.
 */
final class EchoClient implements AutoCloseable {
    /** Long enough for grpc's 10 s priority failover timer (LOCALITY.md §5.2), bounded all the same. */
    private static final long DEADLINE_SECONDS = 15;

    private final ManagedChannel channel;

    /** @param target the listener name, {@code <host>:<port>} */
    EchoClient(String target) {
        this.channel = Grpc.newChannelBuilder("xds:///" + target, InsecureChannelCredentials.create())
                .build();
    }

    /** One call without extra metadata. */
    EchoReply call() {
        return call(Map.of());
    }

    /** One call carrying {@code headers} as gRPC metadata (HTTP/2 headers, so routes can match them). */
    EchoReply call(Map<String, String> headers) {
        Metadata metadata = new Metadata();
        headers.forEach((k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
        String reply = ClientCalls.blockingUnaryCall(
                ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata)),
                EchoService.CALL,
                CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS),
                "ping");
        return EchoReply.decode(reply);
    }

    /** Closes the channel; closing the last xDS channel also ends grpc's ADS stream. */
    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("xds channel did not terminate within 5 s");
        }
    }
}
