package io.zonemesh.xds.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.istio.ClientTls;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamTlsMapperTest {

    private static Cluster.Builder cluster(Protocol protocol) {
        Cluster.Builder c = Cluster.newBuilder().setName("outbound|443||api.example.com");
        ConnectionPoolMapper.apply(c, null, Duration.ofSeconds(10), protocol);
        return c;
    }

    private static UpstreamTlsContext context(Cluster.Builder c) throws Exception {
        assertThat(c.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
        return c.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    }

    private static HttpProtocolOptions http(Cluster.Builder c) throws Exception {
        return c.getTypedExtensionProtocolOptionsOrThrow(ConnectionPoolMapper.HTTP_PROTOCOL_OPTIONS_KEY)
                .unpack(HttpProtocolOptions.class);
    }

    @Test
    void simpleTlsVerifiesWithTheCaFileAndSubjectAltNamesAndSendsTheSni() throws Exception {
        Cluster.Builder c = cluster(Protocol.HTTP);
        UpstreamTlsMapper.apply(
                c,
                new ClientTls(
                        ClientTls.Mode.SIMPLE,
                        null,
                        null,
                        "/etc/ca.pem",
                        null,
                        List.of("api.example.com", "spiffe://cluster.local/ns/a/sa/b", "10.0.0.1"),
                        "api.example.com",
                        false));

        UpstreamTlsContext tls = context(c);
        assertThat(tls.getSni()).isEqualTo("api.example.com");
        var validation = tls.getCommonTlsContext().getValidationContext();
        assertThat(validation.getTrustedCa().getFilename()).isEqualTo("/etc/ca.pem");
        assertThat(validation.getMatchTypedSubjectAltNamesList())
                .extracting(SubjectAltNameMatcher::getSanType)
                .containsExactly(
                        SubjectAltNameMatcher.SanType.DNS,
                        SubjectAltNameMatcher.SanType.URI,
                        SubjectAltNameMatcher.SanType.IP_ADDRESS);
        assertThat(validation.getMatchTypedSubjectAltNames(0).getMatcher().getExact())
                .isEqualTo("api.example.com");
        assertThat(tls.getCommonTlsContext().getAlpnProtocolsCount()).isZero();
        assertThat(c.containsTypedExtensionProtocolOptions(ConnectionPoolMapper.HTTP_PROTOCOL_OPTIONS_KEY))
                .isFalse();
    }

    @Test
    void withoutSniTheRequestHostIsUsedAndVerifiedAsIstiosAutoSni() throws Exception {
        Cluster.Builder c = cluster(Protocol.HTTP);
        UpstreamTlsMapper.apply(
                c, new ClientTls(ClientTls.Mode.SIMPLE, null, null, null, null, List.of(), null, false));

        assertThat(context(c).getSni()).isEmpty();
        assertThat(context(c).getCommonTlsContext().getValidationContext().hasTrustedCa())
                .isFalse();
        HttpProtocolOptions options = http(c);
        assertThat(options.getUpstreamHttpProtocolOptions().getAutoSni()).isTrue();
        assertThat(options.getUpstreamHttpProtocolOptions().getAutoSanValidation())
                .isTrue();
        assertThat(options.getExplicitHttpConfig().hasHttpProtocolOptions()).isTrue();
    }

    @Test
    void insecureSkipVerifyLeavesOutValidationAndAutoSanValidation() throws Exception {
        Cluster.Builder c = cluster(Protocol.HTTP);
        UpstreamTlsMapper.apply(
                c, new ClientTls(ClientTls.Mode.SIMPLE, null, null, "/etc/ca.pem", null, List.of(), null, true));

        assertThat(context(c).getCommonTlsContext().hasValidationContext()).isFalse();
        assertThat(http(c).getUpstreamHttpProtocolOptions().getAutoSanValidation())
                .isFalse();
    }

    @Test
    void http2ClustersNegotiateH2AndKeepTheirHttp2Options() throws Exception {
        Cluster.Builder c = cluster(Protocol.GRPC);
        UpstreamTlsMapper.apply(
                c, new ClientTls(ClientTls.Mode.SIMPLE, null, null, null, null, List.of("a"), null, false));

        assertThat(context(c).getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2");
        assertThat(http(c).getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
        assertThat(http(c).getUpstreamHttpProtocolOptions().getAutoSni()).isTrue();
        assertThat(http(c).getUpstreamHttpProtocolOptions().getAutoSanValidation())
                .isFalse();
    }

    @Test
    void mutualTlsPresentsTheClientCertificateFiles() throws Exception {
        Cluster.Builder c = cluster(Protocol.HTTP);
        UpstreamTlsMapper.apply(
                c,
                new ClientTls(
                        ClientTls.Mode.MUTUAL,
                        "/etc/client.pem",
                        "/etc/client.key",
                        "/etc/ca.pem",
                        null,
                        List.of(),
                        "db.example.com",
                        false));

        var cert = context(c).getCommonTlsContext().getTlsCertificates(0);
        assertThat(cert.getCertificateChain().getFilename()).isEqualTo("/etc/client.pem");
        assertThat(cert.getPrivateKey().getFilename()).isEqualTo("/etc/client.key");
    }
}
