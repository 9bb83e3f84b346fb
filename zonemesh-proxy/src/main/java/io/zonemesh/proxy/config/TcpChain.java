package io.zonemesh.proxy.config;

import java.util.List;
import java.util.Objects;

/**
 * One filter chain of a listener whose chains end in {@code tcp_proxy} (an east-west gateway's
 * AUTO_PASSTHROUGH chains, a TCP service): its {@code filter_chain_match} and its proxy. TLS is
 * never terminated on such a chain; SNI and ALPN are read from the ClientHello.
 *
 * @param name the chain's {@code name}, "" when unset
 * @param destinationPort {@code destination_port}, 0 for any
 * @param serverNames {@code server_names} (exact or {@code *.} wildcard), lower case; empty for any
 * @param transportProtocol {@code transport_protocol} ({@code tls}, {@code raw_buffer}), "" for any
 * @param applicationProtocols {@code application_protocols}, empty for any
 */
public record TcpChain(
        String name,
        int destinationPort,
        List<String> serverNames,
        String transportProtocol,
        List<String> applicationProtocols,
        TcpProxyConfig tcpProxy) {

    public TcpChain {
        Objects.requireNonNull(name, "name");
        serverNames = List.copyOf(serverNames);
        Objects.requireNonNull(transportProtocol, "transportProtocol");
        applicationProtocols = List.copyOf(applicationProtocols);
        Objects.requireNonNull(tcpProxy, "tcpProxy");
        if (destinationPort < 0 || destinationPort > 65535) {
            throw new IllegalArgumentException("destinationPort: " + destinationPort + " (expected: 0..65535)");
        }
    }
}
