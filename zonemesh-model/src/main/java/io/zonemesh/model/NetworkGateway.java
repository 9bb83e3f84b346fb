package io.zonemesh.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * A gateway into one network, istiod's {@code model.NetworkGateway}
 * (pilot/pkg/model/network.go): proxies on other networks reach that network's mutual TLS
 * endpoints through it (split-horizon EDS).
 *
 * @param network the network the gateway leads into
 * @param cluster the cluster the gateway runs in; gateways of the endpoint's own cluster are preferred
 * @param address an IP address (istiod drops host names unless RESOLVE_HOSTNAME_GATEWAYS is set)
 * @param port the gateway's TLS passthrough port, {@value #DEFAULT_PORT} unless the Service's
 *     {@code networking.istio.io/gatewayPort} label says otherwise
 * @param locality where the gateway runs; informational: istiod ignores a gateway's locality
 *     (a TODO in ep_filters.go), the gateway endpoint takes the remote endpoint's locality
 */
public record NetworkGateway(String network, String cluster, String address, int port, Locality locality) {
    /** istiod's {@code DefaultNetworkGatewayPort}. */
    public static final int DEFAULT_PORT = 15443;

    /** istiod's {@code SortGateways}: by address, then port. */
    public static final Comparator<NetworkGateway> ORDER =
            Comparator.comparing(NetworkGateway::address).thenComparingInt(NetworkGateway::port);

    public NetworkGateway {
        Objects.requireNonNull(network, "network");
        cluster = Objects.requireNonNullElse(cluster, "");
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        locality = Objects.requireNonNullElse(locality, Locality.EMPTY);
    }

    /** A gateway without a known locality. */
    public NetworkGateway(String network, String cluster, String address, int port) {
        this(network, cluster, address, port, Locality.EMPTY);
    }
}
