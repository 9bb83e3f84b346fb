package io.zonemesh.proxy.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a STRICT_DNS cluster resolves its host names.
 *
 * @param refreshRate {@code dns_refresh_rate}, Envoy's default 5s
 * @param family {@code dns_lookup_family}, Envoy's default AUTO
 */
public record DnsSettings(Duration refreshRate, Family family) {

    public static final Duration DEFAULT_REFRESH_RATE = Duration.ofSeconds(5);

    public DnsSettings {
        Objects.requireNonNull(refreshRate, "refreshRate");
        if (refreshRate.toMillis() < 1) {
            throw new IllegalArgumentException("refreshRate: " + refreshRate + " (expected: >= 1ms)");
        }
        Objects.requireNonNull(family, "family");
    }

    /** Envoy's {@code Cluster.DnsLookupFamily}. */
    public enum Family {
        /** IPv6 addresses if there are any, else IPv4. */
        AUTO,
        V4_ONLY,
        V6_ONLY,
        /** IPv4 addresses if there are any, else IPv6. */
        V4_PREFERRED,
        ALL;

        /** The addresses of a lookup result that this family keeps, in their order. */
        public List<InetAddress> select(List<InetAddress> addresses) {
            List<InetAddress> v4 =
                    addresses.stream().filter(a -> a instanceof Inet4Address).toList();
            List<InetAddress> v6 =
                    addresses.stream().filter(a -> a instanceof Inet6Address).toList();
            return switch (this) {
                case AUTO -> v6.isEmpty() ? v4 : v6;
                case V4_ONLY -> v4;
                case V6_ONLY -> v6;
                case V4_PREFERRED -> v4.isEmpty() ? v6 : v4;
                case ALL -> List.copyOf(addresses);
            };
        }
    }
}
