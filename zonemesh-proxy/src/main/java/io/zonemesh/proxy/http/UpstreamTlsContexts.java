package io.zonemesh.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.internal.tcnative.SSL;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.MeshTls;
import io.zonemesh.proxy.config.UpstreamTls;
import io.zonemesh.proxy.identity.WorkloadSecrets;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/** The client TLS context and handler of a new upstream connection (HTTP pools and tcp_proxy). */
public final class UpstreamTlsContexts {
    private UpstreamTlsContexts() {}

    /**
     * The context of a cluster's TLS from files, or the one built from the current workload
     * certificate for SDS (null while there is none). Resolved per connection, so a rotated
     * certificate is used by the next connection and never by one already open.
     */
    public static @Nullable SslContext resolve(UpstreamTls tls, WorkloadSecrets secrets) {
        SslContext files = tls.sslContext();
        return files != null ? files : secrets.clientContext(Objects.requireNonNull(tls.mesh(), "mesh"));
    }

    public static SSLException notReady() {
        return new SSLException("SDS secret " + MeshTls.WORKLOAD_SECRET
                + " is not ready: the proxy has no workload certificate (is the CA reachable?)");
    }

    /**
     * The handler of a new connection, sending the cluster's {@code sni}. The JDK drops an SNI its
     * {@code SNIHostName} refuses, which is every Istio name ({@code outbound_.<port>_...} has
     * {@code _}); Envoy sends them, and an east-west gateway routes by them, so the name goes on
     * the wire as it is: in the JDK's engine as a {@link WireHostName}; in BoringSSL's, to which Netty
     * hands only names {@code SNIHostName} accepts, set on the native SSL object directly
     * ({@code SSL_set_tlsext_host_name}, as Envoy does).
     */
    public static SslHandler newHandler(SslContext context, UpstreamTls tls, Channel ch, int port) {
        String sni = tls.sni();
        if (sni == null) {
            return context.newHandler(ch.alloc());
        }
        SslHandler handler = context.newHandler(ch.alloc(), sni, port);
        SSLEngine engine = handler.engine();
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            SSL.setTlsExtHostName(openSsl.sslPointer(), sni);
            return handler;
        }
        SSLParameters parameters = engine.getSSLParameters();
        List<SNIServerName> names = parameters.getServerNames();
        if (names == null || names.isEmpty()) {
            parameters.setServerNames(List.of(new WireHostName(sni)));
            engine.setSSLParameters(parameters);
        }
        return handler;
    }

    /** An SNI {@code host_name} sent exactly as given, without the JDK's host name rules. */
    static final class WireHostName extends SNIServerName {
        WireHostName(String name) {
            super(StandardConstants.SNI_HOST_NAME, name.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
