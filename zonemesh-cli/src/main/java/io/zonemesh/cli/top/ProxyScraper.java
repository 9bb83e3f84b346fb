package io.zonemesh.cli.top;

import java.io.IOException;

/** Reads one page of a proxy's admin API; tests pass canned pages. */
@FunctionalInterface
interface ProxyScraper {
    /**
     * The body of {@code path} on {@code proxy}.
     *
     * @throws IOException when the proxy cannot be read (it is then listed as unreachable)
     */
    String get(ProxyEndpoint proxy, String path) throws IOException, InterruptedException;

    /** A proxy's admin API: how it is named in the output and where it listens. */
    record ProxyEndpoint(String name, String hostPort) {}
}
