package io.zonemesh.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.MeshTls;
import io.zonemesh.proxy.config.UpstreamTls;
import io.zonemesh.proxy.identity.WorkloadSecrets;
import java.util.Objects;
import javax.net.ssl.SSLException;

/** The client TLS context and handler of a new upstream connection. */
final class UpstreamTlsContexts {
    private UpstreamTlsContexts() {}

    /**
     * The context of a cluster's TLS from files, or the one built from the current workload
     * certificate for SDS (null while there is none). Resolved per connection, so a rotated
     * certificate is used by the next connection and never by one already open.
     */
    static @Nullable SslContext resolve(UpstreamTls tls, WorkloadSecrets secrets) {
        SslContext files = tls.sslContext();
        return files != null ? files : secrets.clientContext(Objects.requireNonNull(tls.mesh(), "mesh"));
    }

    static SSLException notReady() {
        return new SSLException("SDS secret " + MeshTls.WORKLOAD_SECRET
                + " is not ready: the proxy has no workload certificate (is the CA reachable?)");
    }

    static SslHandler newHandler(SslContext context, UpstreamTls tls, Channel ch, int port) {
        return tls.sni() == null
                ? context.newHandler(ch.alloc())
                : context.newHandler(ch.alloc(), tls.sni(), port);
    }
}
