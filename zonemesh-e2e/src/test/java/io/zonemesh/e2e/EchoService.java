package io.zonemesh.e2e;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.zonemesh.common.Nullable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A unary gRPC service {@code zonemesh.e2e.Echo/Call} that answers every request with the name and
 * zone of the backend that served it. Defined with a plain UTF-8 marshaller, so the module needs no
 * protoc step: the wire format is still gRPC (length-prefixed messages over HTTP/2), which is all the
 * xDS client's load balancing sees.
 */
final class EchoService {
    static final String SERVICE = "zonemesh.e2e.Echo";

    static final MethodDescriptor<String, String> CALL = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Call"))
            .setRequestMarshaller(Utf8Marshaller.INSTANCE)
            .setResponseMarshaller(Utf8Marshaller.INSTANCE)
            .build();

    private EchoService() {}

    /**
     * The service as one backend serves it: the reply is {@link EchoReply#encode} of the backend, or,
     * with {@code failure}, every call ends with that status (a broken backend that still accepts
     * connections, which only outlier detection can take out of rotation).
     */
    static ServerServiceDefinition definition(String backendName, String zone, @Nullable Status failure) {
        String reply = new EchoReply(backendName, zone).encode();
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(CALL, ServerCalls.asyncUnaryCall((request, response) -> {
                    if (failure != null) {
                        response.onError(failure.withDescription(backendName + " is failing")
                                .asRuntimeException());
                        return;
                    }
                    response.onNext(reply);
                    response.onCompleted();
                }))
                .build();
    }

    private enum Utf8Marshaller implements MethodDescriptor.Marshaller<String> {
        INSTANCE;

        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
