package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.util.Objects;

/**
 * One filter chain of a listener whose chains are chosen per connection by
 * {@code filter_chain_match} (Istio's virtualInbound): destination port, then transport
 * protocol, each the most specific that matches, as Envoy's {@code FilterChainManagerImpl}.
 *
 * @param destinationPort {@code destination_port}, 0 for any
 * @param transportProtocol {@code transport_protocol} ({@code tls}, {@code raw_buffer}), "" for any
 * @param tls the chain's TLS socket, null for plaintext
 * @param rdsName the HCM's RDS route configuration, or null with {@code inlineRoutes}
 * @param inlineRoutes the HCM's inline route configuration, or null with {@code rdsName}
 */
public record FilterChainConfig(
        String name,
        int destinationPort,
        String transportProtocol,
        @Nullable DownstreamTls tls,
        @Nullable String rdsName,
        @Nullable RouteTable inlineRoutes,
        ForwardClientCert forwardClientCert) {

    public FilterChainConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transportProtocol, "transportProtocol");
        Objects.requireNonNull(forwardClientCert, "forwardClientCert");
        if ((rdsName == null) == (inlineRoutes == null)) {
            throw new IllegalArgumentException("rdsName: " + rdsName + " (expected: exactly one of rdsName and inlineRoutes)");
        }
        if (destinationPort < 0 || destinationPort > 65535) {
            throw new IllegalArgumentException("destinationPort: " + destinationPort + " (expected: 0..65535)");
        }
    }
}
