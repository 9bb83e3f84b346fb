package io.zonemesh.proxy.http;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Connections are pooled per cluster and host, as Envoy's per-cluster host pools: two clusters
 * reaching the same address may have different protocol options.
 */
public record PoolKey(String cluster, String address, int port) {

    public PoolKey {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
    }

    // Written out rather than the record's generated methods: every request looks its host's
    // idle connections up by key (PoolKey.equals showed in the JFR self frames).
    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof PoolKey key && port == key.port && address.equals(key.address)
                && cluster.equals(key.cluster));
    }

    @Override
    public int hashCode() {
        return (cluster.hashCode() * 31 + address.hashCode()) * 31 + port;
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
}
