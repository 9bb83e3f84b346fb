package io.zonemesh.proxy.tcp;

import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.TcpChain;
import io.zonemesh.proxy.config.TcpFilterChains;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Envoy's {@code FilterChainManagerImpl::findFilterChain} for the criteria zonemesh-proxy matches
 * on, in Envoy's order: destination port, server name, transport protocol, application protocol.
 * At each level the most specific value present among the remaining chains wins (an exact port
 * over any port; an exact name, then the longest {@code *.} wildcard suffix, then no names; an
 * exact transport protocol over any; the first of the client's ALPN protocols any chain names,
 * else any), and the search continues only below it: like Envoy's tree, a level that matched
 * never falls back to a less specific value when a later level has no match. No match gives the
 * default chain, or none (the connection is closed).
 */
public final class TcpChainMatcher {
    private TcpChainMatcher() {}

    /**
     * @param serverName the ClientHello's SNI, null without TLS or SNI
     * @param transportProtocol {@code tls} or {@code raw_buffer}, as Envoy's tls_inspector detects
     * @param applicationProtocols the ClientHello's ALPN protocols in the client's order
     */
    public static @Nullable TcpChain select(
            TcpFilterChains chains,
            int destinationPort,
            @Nullable String serverName,
            String transportProtocol,
            List<String> applicationProtocols) {
        List<TcpChain> left = chains.chains();
        left = narrow(left, c -> c.destinationPort() == destinationPort, c -> c.destinationPort() == 0);
        left = byServerName(left, serverName == null ? "" : serverName.toLowerCase(Locale.ROOT));
        left = narrow(
                left,
                c -> c.transportProtocol().equals(transportProtocol),
                c -> c.transportProtocol().isEmpty());
        left = byApplicationProtocol(left, applicationProtocols);
        // Distinct matching rules (the parser's check) leave at most one chain here.
        return left.isEmpty() ? chains.defaultChain() : left.get(0);
    }

    /** The chains matching {@code exact} if any does, else those matching {@code any}. */
    private static List<TcpChain> narrow(List<TcpChain> chains, Predicate<TcpChain> exact, Predicate<TcpChain> any) {
        List<TcpChain> exactMatches = chains.stream().filter(exact).toList();
        return !exactMatches.isEmpty()
                ? exactMatches
                : chains.stream().filter(any).toList();
    }

    /**
     * Envoy's {@code findFilterChainForServerName}: the exact name; else the wildcards from the
     * longest suffix to the shortest ({@code *.b.example.com} before {@code *.example.com}), the
     * suffix starting at a dot past the first character; else the chains without names.
     */
    private static List<TcpChain> byServerName(List<TcpChain> chains, String name) {
        if (!name.isEmpty()) {
            List<TcpChain> exact =
                    chains.stream().filter(c -> c.serverNames().contains(name)).toList();
            if (!exact.isEmpty()) {
                return exact;
            }
            for (int dot = name.indexOf('.', 1);
                    dot >= 0 && dot < name.length() - 1;
                    dot = name.indexOf('.', dot + 1)) {
                String wildcard = "*" + name.substring(dot);
                List<TcpChain> matched = chains.stream()
                        .filter(c -> c.serverNames().contains(wildcard))
                        .toList();
                if (!matched.isEmpty()) {
                    return matched;
                }
            }
        }
        return chains.stream().filter(c -> c.serverNames().isEmpty()).toList();
    }

    /** Envoy's {@code findFilterChainForApplicationProtocols}: the client's first protocol some chain names. */
    private static List<TcpChain> byApplicationProtocol(List<TcpChain> chains, List<String> protocols) {
        for (String protocol : protocols) {
            List<TcpChain> matched = chains.stream()
                    .filter(c -> c.applicationProtocols().contains(protocol))
                    .toList();
            if (!matched.isEmpty()) {
                return matched;
            }
        }
        return chains.stream().filter(c -> c.applicationProtocols().isEmpty()).toList();
    }
}
