package io.zonemesh.proxy.config;

import io.netty.handler.ssl.SslContext;
import io.zonemesh.common.Nullable;
import java.util.Objects;

/**
 * A filter chain's {@code DownstreamTlsContext}: a server TLS context from files, or the mesh
 * identity from SDS ({@link MeshTls}), built per connection from the certificate current then.
 *
 * @param sslContext the context built from files, null for SDS
 * @param mesh the SDS settings, null for files
 * @param requireClientCertificate {@code require_client_certificate}
 * @param source the {@code DownstreamTlsContext} as received, to compare pushed chains
 */
public record DownstreamTls(
        @Nullable SslContext sslContext, @Nullable MeshTls mesh, boolean requireClientCertificate, String source) {

    public DownstreamTls {
        if ((sslContext == null) == (mesh == null)) {
            throw new IllegalArgumentException("sslContext and mesh: expected exactly one of them");
        }
        Objects.requireNonNull(source, "source");
    }
}
