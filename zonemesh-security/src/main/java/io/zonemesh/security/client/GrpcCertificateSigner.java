package io.zonemesh.security.client;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.zonemesh.common.Nullable;
import io.zonemesh.security.ca.v1.IstioCertificateRequest;
import io.zonemesh.security.ca.v1.IstioCertificateResponse;
import io.zonemesh.security.ca.v1.IstioCertificateServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Calls {@code IstioCertificateService/CreateCertificate} as istio-agent's citadel client does
 * ({@code security/pkg/nodeagent/caclient/providers/citadel/client.go}): metadata
 * {@code authorization: Bearer <token>} (the token re-read for every call, as the projected token file
 * rotates) and {@code ClusterID: <cluster>}.
 */
public final class GrpcCertificateSigner implements CertificateSigner {
    /** How long one call may take before it fails with DEADLINE_EXCEEDED (the rotator then retries). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> CLUSTER_ID =
            Metadata.Key.of("ClusterID", Metadata.ASCII_STRING_MARSHALLER);

    private final Channel channel;
    private final Supplier<@Nullable String> token;
    private final String clusterId;
    private final Duration timeout;

    /**
     * @param token the bearer token, read per call; null or empty sends no authorization header
     * @param clusterId the {@code ClusterID} header ({@code ISTIO_META_CLUSTER_ID}); empty sends none
     */
    public GrpcCertificateSigner(Channel channel, Supplier<@Nullable String> token, String clusterId) {
        this(channel, token, clusterId, DEFAULT_TIMEOUT);
    }

    public GrpcCertificateSigner(
            Channel channel, Supplier<@Nullable String> token, String clusterId, Duration timeout) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.token = Objects.requireNonNull(token, "token");
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public CompletableFuture<List<String>> sign(String csrPem, Duration ttl) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        Metadata headers = new Metadata();
        try {
            String bearer = token.get();
            if (bearer != null && !bearer.isBlank()) {
                headers.put(AUTHORIZATION, "Bearer " + bearer.strip());
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(new IllegalStateException("cannot read the CA token: " + e.getMessage(), e));
            return result;
        }
        if (!clusterId.isEmpty()) {
            headers.put(CLUSTER_ID, clusterId);
        }
        IstioCertificateRequest request = IstioCertificateRequest.newBuilder()
                .setCsr(csrPem)
                .setValidityDuration(ttl.toSeconds())
                .build();
        IstioCertificateServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .createCertificate(request, new StreamObserver<>() {
                    @Override
                    public void onNext(IstioCertificateResponse value) {
                        result.complete(List.copyOf(value.getCertChainList()));
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        result.completeExceptionally(
                                new IllegalStateException("CA closed the call without a response"));
                    }
                });
        return result;
    }
}
