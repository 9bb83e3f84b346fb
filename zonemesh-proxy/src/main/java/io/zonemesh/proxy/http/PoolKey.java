package io.zonemesh.proxy.http;

import io.netty.util.NetUtil;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.UpstreamTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Connections are pooled per cluster, host and transport settings, as Envoy's per-cluster host
 * pools: two clusters reaching the same address may have different protocol options, and a
 * connection made under a cluster's earlier TLS settings (plaintext, another SNI, other trusted
 * CAs or SAN matchers) must never carry a request under its new ones. Envoy gets the latter by
 * draining a cluster's pools when the cluster is updated; keying on the settings gets it without
 * a drain step, and idle connections of the old key close with {@link ConnectionPools#retain}.
 *
 * @param transport {@link UpstreamTls#settings()} of a TLS cluster, null for plaintext
 */
public record PoolKey(
        String cluster, String address, int port, @Nullable String transport) {

    public PoolKey {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
    }

    /** The key of a host of the cluster configured by {@code config}, under its current transport settings. */
    public static PoolKey of(ClusterConfig config, String address, int port) {
        return of(config, config.tls(), address, port);
    }

    /**
     * The key of a host of a cluster under the transport socket chosen for it (a cluster's
     * {@code transport_socket_matches} pick per endpoint): mTLS and plaintext connections to one
     * address never share a pool.
     */
    public static PoolKey of(ClusterConfig config, @Nullable UpstreamTls tls, String address, int port) {
        return new PoolKey(config.name(), address, port, tls == null ? null : tls.settings());
    }

    /** The key of {@code host} of {@code cluster}, under the transport socket its metadata picks. */
    public static PoolKey of(ActiveCluster cluster, HostSpec host) {
        return of(cluster.config(), cluster.transportFor(host), host.address(), host.port());
    }

    // Written out rather than the record's generated methods: every request looks its host's
    // idle connections up by key (PoolKey.equals showed in the JFR self frames). The transport
    // is usually the same String instance (one per cluster config), so equals stops at ==.
    @Override
    public boolean equals(Object other) {
        return this == other
                || (other instanceof PoolKey key
                        && port == key.port
                        && address.equals(key.address)
                        && cluster.equals(key.cluster)
                        && Objects.equals(transport, key.transport));
    }

    @Override
    public int hashCode() {
        return ((cluster.hashCode() * 31 + address.hashCode()) * 31 + port) * 31 + Objects.hashCode(transport);
    }

    /** {@code address:port}, as {@link io.zonemesh.lb.HostSpec#key()}. */
    public String hostKey() {
        return address + ":" + port;
    }

    /**
     * The socket address without a DNS lookup: host addresses are IP literals (validated when
     * the assignment was accepted), and a lookup would block the event loop.
     */
    InetSocketAddress socketAddress() {
        InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address);
        if (ip == null) {
            throw new IllegalStateException("address: " + address + " (expected: an IP literal)");
        }
        return new InetSocketAddress(ip, port);
    }

    @Override
    public String toString() {
        return cluster + "/" + hostKey() + (transport == null ? " (plaintext)" : " (tls)");
    }
}
