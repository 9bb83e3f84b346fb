package io.zonemesh.controlplane;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.Scheduler;
import io.zonemesh.controlplane.ca.CaHolder;
import io.zonemesh.controlplane.ca.ServingCertificate;
import io.zonemesh.security.ca.Authenticator;
import io.zonemesh.security.ca.CertificateService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The control plane's TLS gRPC port, istiod's 15012: Istio's {@code IstioCertificateService} and
 * the ADS service, behind a certificate the control plane's own CA issues and renews. Clients are
 * not asked for a certificate (a workload asking for its first one has none; the certificate
 * service authenticates its bearer token instead), as istiod's port accepts xDS clients on their
 * token too.
 */
final class SecurePort implements AutoCloseable {
    /** What {@link ControlPlane.Builder#tls} was given. */
    record Options(InetSocketAddress address, CaHolder ca, Authenticator authenticator) {}

    private final Server server;
    private final ServingCertificate serving;
    private final ScheduledExecutorService renewals;

    private SecurePort(Server server, ServingCertificate serving, ScheduledExecutorService renewals) {
        this.server = server;
        this.serving = serving;
        this.renewals = renewals;
    }

    /** Starts everything or nothing: a port in use stops the renewal thread again. */
    static SecurePort start(Options o, BindableService ads, Clock clock, Duration servingTtl, SecureRandom random)
            throws IOException {
        ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "zonemesh-ca-renewal");
            t.setDaemon(true);
            return t;
        });
        ServingCertificate serving = null;
        try {
            serving = new ServingCertificate(o.ca(), clock, Scheduler.of(renewals), random, servingTtl);
            // The JDK engine asks the key manager on every handshake, so a renewed certificate is
            // served without rebuilding the server; ALPN h2 comes with GrpcSslContexts.
            SslContext ssl = GrpcSslContexts.configure(
                            SslContextBuilder.forServer(serving.keyManager()), SslProvider.JDK)
                    .clientAuth(ClientAuth.NONE)
                    .build();
            CertificateService certificates = new CertificateService(o.ca(), o.authenticator(), clock);
            Server server = NettyServerBuilder.forAddress(o.address())
                    .sslContext(ssl)
                    .addService(ads)
                    .addService(ServerInterceptors.intercept(certificates, CertificateService.interceptor()))
                    .keepAliveTime(30, TimeUnit.SECONDS)
                    .permitKeepAliveTime(10, TimeUnit.SECONDS)
                    .build()
                    .start();
            return new SecurePort(server, serving, renewals);
        } catch (IOException e) {
            stop(serving, renewals);
            throw new IOException("control plane TLS port " + o.address() + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            stop(serving, renewals);
            throw e;
        }
    }

    int port() {
        return server.getPort();
    }

    ServingCertificate serving() {
        return serving;
    }

    private static void stop(@Nullable ServingCertificate serving, ScheduledExecutorService renewals) {
        if (serving != null) {
            serving.close();
        }
        renewals.shutdownNow();
    }

    @Override
    public void close() {
        server.shutdownNow();
        stop(serving, renewals);
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
            renewals.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
