package io.zonemesh.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.model.istio.ClientTls;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.PeerAuthenticationConfig;
import io.zonemesh.model.istio.PeerAuthenticationConfig.Mode;
import io.zonemesh.model.istio.ResourceMeta;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.WorkloadSelector;
import io.zonemesh.xds.security.MtlsTransportSockets;
import io.zonemesh.xds.security.SdsConfigs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Auto mutual TLS, DestinationRule {@code tls} overriding it, and istiod's mtlsChecker on endpoints. */
class AutoMtlsTest {
    private static final ProxyIdentity CLIENT = ProxyIdentity.sidecar("sample", "c", Map.of(), Locality.EMPTY);
    private static final String CLUSTER = "outbound|5000||" + Fixtures.HELLO;
    private static final String SA_V1 = "spiffe://cluster.local/ns/sample/sa/hello-v1";
    private static final String SA_V2 = "spiffe://cluster.local/ns/sample/sa/hello-v2";
    private final XdsGenerator generator = new XdsGenerator();

    /** A helloworld pod; {@code sidecar} gives it the injector's tlsMode label. */
    private static Endpoint pod(String address, String version, boolean sidecar, String serviceAccount) {
        Map<String, String> labels = sidecar
                ? Map.of("app", "helloworld", "version", version, Endpoint.TLS_MODE_LABEL, "istio")
                : Map.of("app", "helloworld", "version", version);
        return new Endpoint(
                Fixtures.HELLO,
                5000,
                address,
                5000,
                "hello-" + address,
                "sample",
                Locality.EMPTY,
                labels,
                "",
                "",
                "",
                HealthStatus.HEALTHY,
                sidecar,
                1,
                serviceAccount,
                Endpoint.tlsModeOf(labels),
                8080);
    }

    private static TestMesh mesh() {
        return new TestMesh()
                .service(Fixtures.service("helloworld", "sample", 5000))
                .endpoints(
                        pod("10.0.0.1", "v2", true, SA_V2),
                        pod("10.0.0.2", "v1", true, SA_V1),
                        pod("10.0.0.3", "v1", false, SA_V1));
    }

    static PeerAuthenticationConfig peerAuthn(
            String namespace, Map<String, String> selector, Mode mode, Map<Integer, Mode> ports) {
        return new PeerAuthenticationConfig(
                new ResourceMeta("PeerAuthentication", namespace, "pa", Map.of(), Map.of(), "test.yaml", 1),
                selector.isEmpty() ? null : new WorkloadSelector(selector),
                mode,
                ports,
                null);
    }

    private static DestinationRuleConfig rule(ClientTls.Mode mode, String sni, List<String> sans) {
        ClientTls tls = new ClientTls(mode, null, null, null, null, sans, sni, false);
        return Fixtures.rule(
                "sample",
                Fixtures.HELLO,
                new TrafficPolicy(null, null, null, tls, List.of()),
                List.of(new DestinationRuleConfig.Subset("v1", Map.of("version", "v1"), null)),
                Map.of());
    }

    private static Cluster cluster(XdsResources r, String name) {
        return r.clusters().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> mtlsAddresses(XdsResources r, String name) {
        ClusterLoadAssignment cla = r.endpoints().stream()
                .filter(c -> c.getClusterName().equals(name))
                .findFirst()
                .orElseThrow();
        return cla.getEndpointsList().stream()
                .flatMap(l -> l.getLbEndpointsList().stream())
                .filter(e -> e.getMetadata().containsFilterMetadata(MtlsTransportSockets.MATCH_METADATA_KEY))
                .map(AutoMtlsTest::address)
                .sorted()
                .toList();
    }

    private static String address(LbEndpoint e) {
        assertThat(e.getMetadata().getFilterMetadataOrThrow(MtlsTransportSockets.MATCH_METADATA_KEY))
                .isEqualTo(MtlsTransportSockets.istioMatchMetadata());
        return e.getEndpoint().getAddress().getSocketAddress().getAddress();
    }

    private static UpstreamTlsContext context(io.envoyproxy.envoy.config.core.v3.TransportSocket socket)
            throws InvalidProtocolBufferException {
        assertThat(socket.getName()).isEqualTo("envoy.transport_sockets.tls");
        return socket.getTypedConfig().unpack(UpstreamTlsContext.class);
    }

    @SuppressWarnings("deprecation") // Istio's match_subject_alt_names
    private static List<String> sans(UpstreamTlsContext tls) {
        return tls.getCommonTlsContext()
                .getCombinedValidationContext()
                .getDefaultValidationContext()
                .getMatchSubjectAltNamesList()
                .stream()
                .map(StringMatcher::getExact)
                .toList();
    }

    @Test
    void autoMtlsSendsIstioMutualTlsToSidecarsAndPlaintextToTheRest() throws Exception {
        XdsResources r = generator.outbound(mesh().build(), CLIENT);

        Cluster c = cluster(r, CLUSTER);
        assertThat(c.hasTransportSocket()).isFalse();
        assertThat(c.getTransportSocketMatchesList())
                .extracting(Cluster.TransportSocketMatch::getName)
                .containsExactly("tlsMode-istio", "tlsMode-disabled");
        Cluster.TransportSocketMatch istio = c.getTransportSocketMatches(0);
        assertThat(istio.getMatch()).isEqualTo(MtlsTransportSockets.istioMatchMetadata());
        UpstreamTlsContext tls = context(istio.getTransportSocket());
        assertThat(tls.getSni()).isEqualTo("outbound_.5000_._." + Fixtures.HELLO);
        assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("istio-peer-exchange", "istio");
        assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigsList())
                .containsExactly(SdsConfigs.workloadCertificate());
        var validation = tls.getCommonTlsContext().getCombinedValidationContext();
        assertThat(validation.getValidationContextSdsSecretConfig()).isEqualTo(SdsConfigs.rootCa());
        // The SAN list is the service's accounts: every endpoint's, sorted, once each.
        assertThat(sans(tls)).containsExactly(SA_V1, SA_V2);
        Cluster.TransportSocketMatch plain = c.getTransportSocketMatches(1);
        assertThat(plain.getMatch().getFieldsCount()).isZero();
        assertThat(plain.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.raw_buffer");

        assertThat(mtlsAddresses(r, CLUSTER)).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(mtlsAddresses(r, CLUSTER)).doesNotContain("10.0.0.3");
    }

    @Test
    void subsetClustersNameTheSubsetInTheirSni() throws Exception {
        DestinationRuleConfig subsets = Fixtures.rule(
                "sample",
                Fixtures.HELLO,
                new TrafficPolicy(null, null, null, null, List.of()),
                List.of(new DestinationRuleConfig.Subset("v1", Map.of("version", "v1"), null)),
                Map.of());
        XdsResources r = generator.outbound(mesh().rule(subsets).build(), CLIENT);

        Cluster c = cluster(r, "outbound|5000|v1|" + Fixtures.HELLO);
        assertThat(context(c.getTransportSocketMatches(0).getTransportSocket()).getSni())
                .isEqualTo("outbound_.5000_.v1_." + Fixtures.HELLO);
        assertThat(mtlsAddresses(r, "outbound|5000|v1|" + Fixtures.HELLO)).containsExactly("10.0.0.2");
    }

    @Test
    void destinationRuleIstioMutualSendsMutualTlsToEveryEndpointWithoutMatches() throws Exception {
        XdsResources r = generator.outbound(mesh().rule(rule(ClientTls.Mode.ISTIO_MUTUAL, null, List.of())).build(), CLIENT);

        Cluster c = cluster(r, CLUSTER);
        assertThat(c.getTransportSocketMatchesList()).isEmpty();
        UpstreamTlsContext tls = context(c.getTransportSocket());
        assertThat(tls.getSni()).isEqualTo("outbound_.5000_._." + Fixtures.HELLO);
        assertThat(sans(tls)).containsExactly(SA_V1, SA_V2);
        // istiod's mtlsChecker: the rule decides, so the pod without sidecar is marked too.
        assertThat(mtlsAddresses(r, CLUSTER)).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void destinationRuleIstioMutualKeepsItsOwnSniAndSubjectAltNames() throws Exception {
        XdsResources r = generator.outbound(
                mesh().rule(rule(ClientTls.Mode.ISTIO_MUTUAL, "custom.sni", List.of("spiffe://other/ns/x/sa/y")))
                        .build(),
                CLIENT);

        UpstreamTlsContext tls = context(cluster(r, CLUSTER).getTransportSocket());
        assertThat(tls.getSni()).isEqualTo("custom.sni");
        assertThat(sans(tls)).containsExactly("spiffe://other/ns/x/sa/y");
    }

    @Test
    void destinationRuleDisableTurnsAutoMtlsOffForTheClusterAndItsEndpoints() {
        XdsResources r = generator.outbound(mesh().rule(rule(ClientTls.Mode.DISABLE, null, List.of())).build(), CLIENT);

        for (String name : List.of(CLUSTER, "outbound|5000|v1|" + Fixtures.HELLO)) {
            Cluster c = cluster(r, name);
            assertThat(c.hasTransportSocket()).isFalse();
            assertThat(c.getTransportSocketMatchesList()).isEmpty();
            assertThat(mtlsAddresses(r, name)).isEmpty();
        }
    }

    @Test
    void destinationRuleSimpleTlsReplacesAutoMtls() {
        XdsResources r = generator.outbound(mesh().rule(rule(ClientTls.Mode.SIMPLE, "hello.internal", List.of())).build(), CLIENT);

        Cluster c = cluster(r, CLUSTER);
        assertThat(c.getTransportSocketMatchesList()).isEmpty();
        assertThat(c.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
        assertThat(mtlsAddresses(r, CLUSTER)).isEmpty();
    }

    @Test
    void anEndpointWhosePeerAuthenticationDisablesMtlsOnItsPortGetsPlaintext() {
        // Port-level settings name the workload (target) port 8080, not the service port 5000.
        MeshState state = mesh().peerAuthentication(
                        peerAuthn("sample", Map.of("version", "v2"), Mode.STRICT, Map.of(8080, Mode.DISABLE)))
                .build();

        XdsResources r = generator.outbound(state, CLIENT);

        assertThat(mtlsAddresses(r, CLUSTER)).containsExactly("10.0.0.2");
        assertThat(cluster(r, CLUSTER).getTransportSocketMatchesList()).hasSize(2);
    }

    @Test
    void aWorkloadWideDisableAlsoTurnsTheEndpointToPlaintext() {
        MeshState state = mesh().peerAuthentication(peerAuthn("sample", Map.of("version", "v1"), Mode.DISABLE, Map.of()))
                .build();

        assertThat(mtlsAddresses(generator.outbound(state, CLIENT), CLUSTER)).containsExactly("10.0.0.1");
    }

    @Test
    void aNamespaceWideDisableOfTheServiceNamespaceTurnsAutoMtlsOff() {
        MeshState state = mesh().peerAuthentication(peerAuthn("sample", Map.of(), Mode.DISABLE, Map.of()))
                .build();

        XdsResources r = generator.outbound(state, CLIENT);

        assertThat(cluster(r, CLUSTER).getTransportSocketMatchesList()).isEmpty();
        assertThat(mtlsAddresses(r, CLUSTER)).isEmpty();
    }

    @Test
    void meshConfigEnableAutoMtlsFalseLeavesClustersPlaintextButKeepsEndpointMetadata() {
        MeshState state = mesh().settings(MeshSettings.DEFAULT.withEnableAutoMtls(false)).build();

        XdsResources r = generator.outbound(state, CLIENT);

        assertThat(cluster(r, CLUSTER).getTransportSocketMatchesList()).isEmpty();
        assertThat(mtlsAddresses(r, CLUSTER)).containsExactly("10.0.0.1", "10.0.0.2");
    }

    @Test
    void http2ClustersOfferH2AfterTheIstioProtocols() throws Exception {
        Service grpc = new Service(
                Fixtures.HELLO,
                "sample",
                "helloworld",
                List.of(new io.zonemesh.model.ServicePort("grpc", 5000, 8080, io.zonemesh.model.Protocol.GRPC)),
                Map.of(),
                Map.of("app", "helloworld"),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                List.of(),
                null);
        XdsResources r = generator.outbound(
                new TestMesh().service(grpc).endpoints(pod("10.0.0.1", "v1", true, SA_V1)).build(), CLIENT);

        assertThat(context(cluster(r, CLUSTER).getTransportSocketMatches(0).getTransportSocket())
                        .getCommonTlsContext()
                        .getAlpnProtocolsList())
                .containsExactly("istio-peer-exchange", "istio", "h2");
    }

    @Test
    void grpcClientsGetNoMtls() {
        XdsResources r = generator.outbound(mesh().build(), CLIENT.withoutOverprovisioning(true));

        assertThat(cluster(r, CLUSTER).getTransportSocketMatchesList()).isEmpty();
        assertThat(cluster(r, CLUSTER).hasTransportSocket()).isFalse();
    }
}
