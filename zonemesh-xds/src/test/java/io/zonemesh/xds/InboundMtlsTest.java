package io.zonemesh.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.istio.PeerAuthenticationConfig.Mode;
import io.zonemesh.xds.security.SdsConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** virtualInbound's filter chains by PeerAuthentication mode, and the XFCC settings of its HCM. */
class InboundMtlsTest {
    private static final Map<String, String> LABELS = Map.of("app", "helloworld", "version", "v1");
    /** Receives on service port 5000 (target 8080) and on 8080 itself, as the registry reports. */
    private static final ProxyIdentity SERVER = ProxyIdentity.sidecar("sample", "hello-1", LABELS, Locality.EMPTY)
            .withAppPorts(new TreeMap<>(Map.of(5000, "127.0.0.1:8080", 8080, "127.0.0.1:8080", 9090, "127.0.0.1:9090")));

    private final XdsGenerator generator = new XdsGenerator();

    private static TestMesh mesh() {
        Endpoint e = new Endpoint(
                Fixtures.HELLO,
                5000,
                "10.0.0.1",
                8080,
                "hello-1",
                "sample",
                Locality.EMPTY,
                LABELS,
                "",
                "",
                "",
                HealthStatus.HEALTHY,
                true,
                1,
                "spiffe://cluster.local/ns/sample/sa/hello",
                "istio",
                8080);
        return new TestMesh().service(Fixtures.service("helloworld", "sample", 5000)).endpoints(e);
    }

    private Listener inbound(MeshState state) {
        return generator.inbound(state, SERVER).listeners().get(0);
    }

    /** {@code <name> <port or *> <tls|raw_buffer>} per chain. */
    private static List<String> describe(Listener l) {
        List<String> out = new ArrayList<>();
        for (FilterChain c : l.getFilterChainsList()) {
            var m = c.getFilterChainMatch();
            out.add(c.getName() + " " + (m.hasDestinationPort() ? m.getDestinationPort().getValue() : "*") + " "
                    + m.getTransportProtocol());
            assertThat(c.hasTransportSocket()).isEqualTo(m.getTransportProtocol().equals("tls"));
        }
        return out;
    }

    @Test
    void withoutPoliciesTheInboundIsPermissiveBehindTheTlsInspector() throws Exception {
        Listener l = inbound(mesh().build());

        assertThat(l.getListenerFiltersList())
                .extracting(f -> f.getName())
                .containsExactly("envoy.filters.listener.tls_inspector");
        assertThat(describe(l))
                .containsExactly("virtualInbound-catchall-http * tls", "virtualInbound-catchall-http * raw_buffer");
        DownstreamTlsContext tls =
                l.getFilterChains(0).getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2", "http/1.1");
        assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigsList())
                .containsExactly(SdsConfigs.workloadCertificate());
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getValidationContextSdsSecretConfig())
                .isEqualTo(SdsConfigs.rootCa());
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().hasDefaultValidationContext())
                .isTrue();
    }

    @Test
    void theInboundHcmAppendsAndForwardsTheClientCertificateDetails() throws Exception {
        Listener l = inbound(mesh().build());

        for (FilterChain c : l.getFilterChainsList()) {
            HttpConnectionManager hcm = c.getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
            assertThat(hcm.getForwardClientCertDetails())
                    .isEqualTo(HttpConnectionManager.ForwardClientCertDetails.APPEND_FORWARD);
            assertThat(hcm.getSetCurrentClientCertDetails().getSubject().getValue()).isTrue();
            assertThat(hcm.getSetCurrentClientCertDetails().getUri()).isTrue();
            assertThat(hcm.getSetCurrentClientCertDetails().getDns()).isTrue();
            assertThat(hcm.getSetCurrentClientCertDetails().getCert()).isFalse();
        }
    }

    @Test
    void strictNamespaceLeavesOnlyTheTlsChain() {
        MeshState state = mesh().peerAuthentication(AutoMtlsTest.peerAuthn("sample", Map.of(), Mode.STRICT, Map.of()))
                .build();

        assertThat(describe(inbound(state))).containsExactly("virtualInbound-catchall-http * tls");
    }

    @Test
    void meshWideStrictFromTheRootNamespaceApplies() {
        MeshState state = mesh().peerAuthentication(
                        AutoMtlsTest.peerAuthn("istio-system", Map.of(), Mode.STRICT, Map.of()))
                .build();

        assertThat(describe(inbound(state))).containsExactly("virtualInbound-catchall-http * tls");
    }

    @Test
    void disableLeavesOnlyThePlaintextChain() {
        MeshState state = mesh().peerAuthentication(AutoMtlsTest.peerAuthn("sample", Map.of(), Mode.DISABLE, Map.of()))
                .build();

        assertThat(describe(inbound(state))).containsExactly("virtualInbound-catchall-http * raw_buffer");
    }

    @Test
    void portLevelMtlsGivesTheWorkloadPortAndTheServicePortsInFrontOfItTheirOwnChains() {
        MeshState state = mesh().peerAuthentication(AutoMtlsTest.peerAuthn(
                        "sample", Map.of("app", "helloworld"), Mode.STRICT, Map.of(8080, Mode.DISABLE)))
                .build();

        assertThat(describe(inbound(state)))
                .containsExactly(
                        "inbound_0.0.0.0_5000 5000 raw_buffer",
                        "inbound_0.0.0.0_8080 8080 raw_buffer",
                        "virtualInbound-catchall-http * tls");
    }

    @Test
    void aStrictPortInAPermissiveWorkloadHasOnlyItsTlsChain() {
        MeshState state = mesh().peerAuthentication(AutoMtlsTest.peerAuthn(
                        "sample", Map.of("app", "helloworld"), Mode.UNSET, Map.of(9090, Mode.STRICT)))
                .build();

        assertThat(describe(inbound(state)))
                .containsExactly(
                        "inbound_0.0.0.0_9090 9090 tls",
                        "virtualInbound-catchall-http * tls",
                        "virtualInbound-catchall-http * raw_buffer");
    }
}
