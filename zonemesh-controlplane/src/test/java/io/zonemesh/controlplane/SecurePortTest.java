package io.zonemesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.zonemesh.common.Clock;
import io.zonemesh.controlplane.ca.CaHolder;
import io.zonemesh.controlplane.ca.ServingCertificate;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.SpiffeIds;
import io.zonemesh.security.ca.BootstrapTokens;
import io.zonemesh.security.ca.CertificateAuthority;
import io.zonemesh.security.ca.v1.IstioCertificateRequest;
import io.zonemesh.security.ca.v1.IstioCertificateResponse;
import io.zonemesh.security.ca.v1.IstioCertificateServiceGrpc;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane's TLS port (istiod's 15012) over real sockets: Istio's certificate service
 * signs the identity the caller's credential proves, never the CSR's, and ADS answers on the same
 * port; the port's own certificate carries istiod's names and follows a CA replacement.
 */
class SecurePortTest {
    private static final SpiffeId SLEEP = new SpiffeId("cluster.local", "sample", "sleep");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final SecureRandom random = new SecureRandom();
    private CaHolder ca;
    private BootstrapTokens tokens;
    private MeshRegistry registry;
    private ControlPlane controlPlane;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ca = new CaHolder(CertificateAuthority.selfSigned("zonemesh-test", Clock.system(), random));
        tokens = new BootstrapTokens(random);
        registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, AdsServerTest.multiAz());
        controlPlane = ControlPlane.builder(registry)
                .xdsAddress(new InetSocketAddress("127.0.0.1", 0))
                .debugAddress(new InetSocketAddress("127.0.0.1", 0))
                .tls(new InetSocketAddress("127.0.0.1", 0), ca, tokens)
                .debounceAfter(Duration.ofMillis(20))
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        controlPlane.close();
    }

    private ManagedChannel channel(Collection<X509Certificate> trust) throws Exception {
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", controlPlane.xdsTlsPort())
                .sslContext(GrpcSslContexts.forClient()
                        .trustManager(trust.toArray(new X509Certificate[0]))
                        .build())
                .overrideAuthority("istiod.istio-system.svc")
                .build();
        channels.add(c);
        return c;
    }

    private static Metadata bearer(String token) {
        Metadata m = new Metadata();
        m.put(AUTHORIZATION, "Bearer " + token);
        return m;
    }

    private IstioCertificateResponse createCertificate(ManagedChannel channel, String token, SpiffeId asked) {
        String csr = Csrs.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256, random), asked);
        return IstioCertificateServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .createCertificate(IstioCertificateRequest.newBuilder()
                        .setCsr(csr)
                        .setValidityDuration(3600)
                        .build());
    }

    @Test
    void signsTheIdentityTheCredentialProvesNotTheOneTheCsrAsksFor() throws Exception {
        String token = tokens.issue(SLEEP);
        ManagedChannel channel = channel(ca.get().roots());

        IstioCertificateResponse response =
                createCertificate(channel, token, new SpiffeId("cluster.local", "kube-system", "admin"));

        List<X509Certificate> chain = new ArrayList<>();
        for (String pem : response.getCertChainList()) {
            chain.addAll(Pem.certificates(pem));
        }
        assertThat(SpiffeIds.uriSan(chain.get(0))).contains(SLEEP.uri());
        assertThat(chain.get(chain.size() - 1))
                .as("root last")
                .isEqualTo(ca.get().roots().get(0));
    }

    @Test
    void refusesACallerWithoutAValidCredential() throws Exception {
        ManagedChannel channel = channel(ca.get().roots());

        assertThatThrownBy(() -> createCertificate(channel, "not-a-token", SLEEP))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void servesAdsOnTheTlsPortToo() throws Exception {
        ManagedChannel channel = channel(ca.get().roots());
        BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .streamAggregatedResources(new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse value) {
                        responses.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                });
        requests.onNext(DiscoveryRequest.newBuilder()
                .setNode(AdsServerTest.node(registry))
                .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster")
                .build());

        DiscoveryResponse cds = responses.poll(10, TimeUnit.SECONDS);

        assertThat(cds).isNotNull();
        assertThat(cds.getResourcesCount()).isPositive();
        requests.onCompleted();
    }

    @Test
    void thePlaintextPortServesNoCa() throws Exception {
        ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", controlPlane.xdsPort())
                .usePlaintext()
                .build();
        channels.add(plain);

        assertThatThrownBy(() -> createCertificate(plain, tokens.issue(SLEEP), SLEEP))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void theServingCertificateCarriesIstiodsNamesAndFollowsTheCa() throws Exception {
        ServingCertificate serving = controlPlane.servingCertificate();
        X509Certificate leaf = serving.current().leaf();
        assertThat(leaf.getSubjectAlternativeNames().stream()
                        .map(san -> String.valueOf(san.get(1)))
                        .toList())
                .contains(
                        "zonemesh-control-plane.zonemesh-system.svc",
                        "istiod.istio-system.svc",
                        "istiod.istio-system.svc.cluster.local",
                        "localhost",
                        "127.0.0.1");
        List<X509Certificate> oldRoots = ca.get().roots();

        CertificateAuthority next = CertificateAuthority.selfSigned("zonemesh-next", Clock.system(), random);
        ca.replace(next);

        assertThat(serving.current().leaf().getIssuerX500Principal())
                .isEqualTo(next.signingCertificate().getSubjectX500Principal());
        String token = tokens.issue(SLEEP);
        assertThat(createCertificate(channel(next.roots()), token, SLEEP).getCertChainCount())
                .as("a client trusting the new root")
                .isGreaterThanOrEqualTo(2);
        assertThatThrownBy(() -> createCertificate(channel(oldRoots), token, SLEEP))
                .as("a client trusting only the old root")
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
}
