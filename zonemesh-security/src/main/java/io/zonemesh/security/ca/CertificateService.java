package io.zonemesh.security.ca;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.v1.IstioCertificateRequest;
import io.zonemesh.security.ca.v1.IstioCertificateResponse;
import io.zonemesh.security.ca.v1.IstioCertificateServiceGrpc;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Istio's {@code IstioCertificateService/CreateCertificate} (istiod {@code security/pkg/server/ca/server.go}):
 * authenticates the caller, signs the CSR's public key for the AUTHENTICATED identity (the CSR's own
 * SAN is ignored), and answers leaf first, root bundle last. Errors: UNAUTHENTICATED when the caller
 * cannot be authenticated, INVALID_ARGUMENT for a bad CSR or a TTL above the maximum, UNAVAILABLE when
 * no CA is loaded or its signing certificate is not valid now.
 *
 * <p>The handler reads the caller's headers from the gRPC {@link Context}: register
 * {@link #serviceDefinition()} (which includes {@link #interceptor()}), or
 * {@code ServerInterceptors.intercept(service, CertificateService.interceptor())}. Registered bare,
 * every call fails with INTERNAL saying so.
 */
public final class CertificateService extends IstioCertificateServiceGrpc.IstioCertificateServiceImplBase {
    private static final Logger log = LoggerFactory.getLogger(CertificateService.class);
    private static final Context.Key<Metadata> HEADERS = Context.key("zonemesh-ca-request-headers");

    private final Supplier<@Nullable CertificateAuthority> ca;
    private final Authenticator authenticator;
    private final Clock clock;

    /**
     * @param ca the current CA, read per call (a reload swaps it); null while none is loaded
     */
    public CertificateService(Supplier<@Nullable CertificateAuthority> ca, Authenticator authenticator, Clock clock) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Copies each call's headers into its {@link Context}, where the handler reads them. */
    public static ServerInterceptor interceptor() {
        return HeadersInterceptor.INSTANCE;
    }

    /** This service with {@link #interceptor()}: what to add to a gRPC server. */
    public ServerServiceDefinition serviceDefinition() {
        return ServerInterceptors.intercept(this, interceptor());
    }

    @Override
    public void createCertificate(IstioCertificateRequest request, StreamObserver<IstioCertificateResponse> response) {
        Metadata headers = HEADERS.get();
        if (headers == null) {
            response.onError(Status.INTERNAL
                    .withDescription(
                            "request headers not available (expected: the service bound with CertificateService.interceptor())")
                    .asRuntimeException());
            return;
        }
        SpiffeId identity;
        try {
            identity = authenticator.authenticate(headers);
        } catch (AuthenticationException e) {
            log.info("CA: refused an unauthenticated CSR: {}", e.getMessage());
            response.onError(Status.UNAUTHENTICATED
                    .withDescription("request authenticate failure: " + e.getMessage())
                    .asRuntimeException());
            return;
        }
        CertificateAuthority authority = ca.get();
        if (authority == null) {
            response.onError(
                    Status.UNAVAILABLE.withDescription("CA is not ready").asRuntimeException());
            return;
        }
        Instant now = Instant.ofEpochMilli(clock.currentTimeMillis());
        if (now.isAfter(authority.signingCertificate().getNotAfter().toInstant())
                || now.isBefore(authority.signingCertificate().getNotBefore().toInstant())) {
            // A leaf signed now would not verify anywhere; say so instead of handing it out.
            response.onError(Status.UNAVAILABLE
                    .withDescription("CA signing certificate is not valid now (valid "
                            + authority.signingCertificate().getNotBefore().toInstant() + " to "
                            + authority.signingCertificate().getNotAfter().toInstant() + ")")
                    .asRuntimeException());
            return;
        }
        List<String> chain;
        try {
            chain = authority.sign(request.getCsr(), identity, Duration.ofSeconds(request.getValidityDuration()));
        } catch (IllegalArgumentException e) {
            log.info("CA: refused a CSR from {}: {}", identity, e.getMessage());
            response.onError(Status.INVALID_ARGUMENT
                    .withDescription("CSR signing error (" + e.getMessage() + ")")
                    .asRuntimeException());
            return;
        } catch (RuntimeException e) {
            log.warn("CA: signing for {} failed", identity, e);
            response.onError(Status.INTERNAL
                    .withDescription("CSR signing error (" + e.getMessage() + ")")
                    .asRuntimeException());
            return;
        }
        log.debug("CA: signed a certificate for {}", identity);
        response.onNext(
                IstioCertificateResponse.newBuilder().addAllCertChain(chain).build());
        response.onCompleted();
    }

    private enum HeadersInterceptor implements ServerInterceptor {
        INSTANCE;

        @Override
        public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
                ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
        }
    }
}
