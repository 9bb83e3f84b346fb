package io.zonemesh.proxy.identity;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import io.zonemesh.security.Pem;
import io.zonemesh.security.client.CertificateRotator;
import io.zonemesh.security.client.GrpcCertificateSigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * istio-agent's part in the proxy: a gRPC channel over TLS to the CA (its certificate checked
 * against {@link CaClientOptions#caRoots()} and {@link CaClientOptions#caServerName()}), a
 * {@link CertificateRotator} that keeps a fresh workload key and certificate, and every new
 * certificate published to the proxy's {@link WorkloadSecrets} (SDS {@code default} and
 * {@code ROOTCA}). The key stays in the process.
 */
public final class CaClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final CertificateRotator rotator;

    private CaClient(ManagedChannel channel, CertificateRotator rotator) {
        this.channel = channel;
        this.rotator = rotator;
    }

    /** Connects to the CA and requests the first certificate (asynchronously; rotations follow). */
    public static CaClient start(
            CaClientOptions options, WorkloadSecrets secrets, Clock clock, Scheduler scheduler, RandomSource random) {
        Objects.requireNonNull(secrets, "secrets");
        ManagedChannel channel = channel(options);
        CertificateRotator rotator = new CertificateRotator(
                new GrpcCertificateSigner(channel, options.token(), options.clusterId()),
                options.keyAlgorithm(),
                options.ttl(),
                clock,
                scheduler,
                random);
        rotator.addListener(certificate -> secrets.update(WorkloadSecret.from(certificate)));
        rotator.start();
        return new CaClient(channel, rotator);
    }

    /**
     * TLS to the CA as istio-agent dials istiod: only {@code caRoots} are trusted, and the
     * certificate must name {@code caServerName} (gRPC checks the authority against it).
     */
    static ManagedChannel channel(CaClientOptions options) {
        ChannelCredentials credentials;
        try {
            credentials = TlsChannelCredentials.newBuilder()
                    .trustManager(new ByteArrayInputStream(
                            Pem.encode(options.caRoots()).getBytes(StandardCharsets.US_ASCII)))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("caRoots: cannot be used as trust (" + e.getMessage() + ")", e);
        }
        return Grpc.newChannelBuilderForAddress(options.host(), options.port(), credentials)
                .overrideAuthority(options.caServerName())
                .userAgent("zonemesh-proxy")
                .build();
    }

    /** The rotator, for its current certificate. */
    public CertificateRotator rotator() {
        return rotator;
    }

    @Override
    public void close() {
        rotator.close();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
