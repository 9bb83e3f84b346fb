package io.zonemesh.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.proxy.config.TcpChain;
import io.zonemesh.proxy.config.TcpFilterChains;
import io.zonemesh.proxy.config.TcpProxyConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Envoy's FilterChainManager order: port, server name, transport protocol, ALPN; no fallback. */
class TcpChainMatcherTest {
    private static final List<String> ISTIO = List.of("istio", "istio-peer-exchange");

    private static TcpChain chain(String name, int port, List<String> names, String transport, List<String> alpn) {
        return new TcpChain(
                name,
                port,
                names,
                transport,
                alpn,
                new TcpProxyConfig(name, List.of(new TcpProxyConfig.ClusterWeight(name, 1)), Duration.ZERO, 1));
    }

    private static String select(TcpFilterChains chains, int port, String sni, String transport, List<String> alpn) {
        TcpChain chain = TcpChainMatcher.select(chains, port, sni, transport, alpn);
        return chain == null ? "none" : chain.name();
    }

    @Test
    void exactNameThenLongestWildcardThenChainsWithoutNames() {
        TcpFilterChains chains = new TcpFilterChains(
                List.of(
                        chain("exact", 0, List.of("a.b.example.com"), "", List.of()),
                        chain("wide", 0, List.of("*.example.com"), "", List.of()),
                        chain("narrow", 0, List.of("*.b.example.com"), "", List.of()),
                        chain("any", 0, List.of(), "", List.of())),
                null,
                true);

        assertThat(select(chains, 443, "a.b.example.com", "tls", List.of())).isEqualTo("exact");
        assertThat(select(chains, 443, "A.B.Example.COM", "tls", List.of())).isEqualTo("exact");
        assertThat(select(chains, 443, "c.b.example.com", "tls", List.of())).isEqualTo("narrow");
        assertThat(select(chains, 443, "c.example.com", "tls", List.of())).isEqualTo("wide");
        // A wildcard needs at least one label before its suffix.
        assertThat(select(chains, 443, "example.com", "tls", List.of())).isEqualTo("any");
        assertThat(select(chains, 443, null, "raw_buffer", List.of())).isEqualTo("any");
    }

    @Test
    void anExactPortNeverFallsBackToChainsForAnyPort() {
        TcpFilterChains chains = new TcpFilterChains(
                List.of(
                        chain("port", 15443, List.of("a.example.com"), "", List.of()),
                        chain("anyport", 0, List.of("b.example.com"), "", List.of())),
                chain("default", 0, List.of(), "", List.of()),
                true);

        assertThat(select(chains, 15443, "a.example.com", "tls", List.of())).isEqualTo("port");
        // b.example.com has a chain, but on any port: port 15443's chains decide, and have none.
        assertThat(select(chains, 15443, "b.example.com", "tls", List.of())).isEqualTo("default");
        assertThat(select(chains, 8443, "b.example.com", "tls", List.of())).isEqualTo("anyport");
    }

    @Test
    void aMatchedServerNameDoesNotFallBackWhenItsTransportOrAlpnDoNotMatch() {
        TcpFilterChains chains = new TcpFilterChains(
                List.of(
                        chain("sni-istio", 0, List.of("svc.example.com"), "tls", ISTIO),
                        chain("catchall", 0, List.of(), "", List.of())),
                null,
                true);

        assertThat(select(chains, 15443, "svc.example.com", "tls", List.of("istio-peer-exchange", "istio")))
                .isEqualTo("sni-istio");
        // Envoy's tree: the exact name matched, so the catch-all chain is never considered.
        assertThat(select(chains, 15443, "svc.example.com", "tls", List.of("h2")))
                .isEqualTo("none");
        assertThat(select(chains, 15443, "svc.example.com", "raw_buffer", List.of()))
                .isEqualTo("none");
        assertThat(select(chains, 15443, "other.example.com", "tls", List.of("h2")))
                .isEqualTo("catchall");
    }

    @Test
    void theClientsFirstAlpnProtocolThatAChainNamesWins() {
        TcpFilterChains chains = new TcpFilterChains(
                List.of(
                        chain("h2", 0, List.of(), "tls", List.of("h2")),
                        chain("istio", 0, List.of(), "tls", List.of("istio")),
                        chain("no-alpn", 0, List.of(), "tls", List.of())),
                null,
                true);

        assertThat(select(chains, 1, "x", "tls", List.of("istio", "h2"))).isEqualTo("istio");
        assertThat(select(chains, 1, "x", "tls", List.of("unknown", "h2", "istio")))
                .isEqualTo("h2");
        assertThat(select(chains, 1, "x", "tls", List.of("http/1.1"))).isEqualTo("no-alpn");
    }

    @Test
    void anExactTransportProtocolBeatsAny() {
        TcpFilterChains chains = new TcpFilterChains(
                List.of(chain("tls", 0, List.of(), "tls", List.of()), chain("any", 0, List.of(), "", List.of())),
                null,
                true);

        assertThat(select(chains, 1, "x", "tls", List.of())).isEqualTo("tls");
        assertThat(select(chains, 1, null, "raw_buffer", List.of())).isEqualTo("any");
    }
}
