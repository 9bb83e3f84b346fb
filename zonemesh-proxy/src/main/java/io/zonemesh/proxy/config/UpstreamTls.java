package io.zonemesh.proxy.config;

import io.netty.handler.ssl.SslContext;
import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Objects;

/**
 * A cluster's {@code transport_socket} {@code UpstreamTlsContext}: the client TLS context built
 * from it (trusted CA file or the platform roots, or no verification without a
 * {@code validation_context}; a client certificate for MUTUAL), the SNI to send, and the subject
 * alternative names of which the server's certificate must carry one.
 *
 * @param sni {@code sni}, null to send none
 * @param sanMatchers {@code match_typed_subject_alt_names}; empty accepts any verified certificate
 * @param mesh set when the certificate and trust come from SDS {@code default}/{@code ROOTCA}
 *     (Istio's ISTIO_MUTUAL): the context is then built per connection from the current
 *     certificate, and {@code sslContext} is null
 * @param settings the {@code UpstreamTlsContext} this was built from, in a canonical text form:
 *     equal exactly when the settings are (the {@link SslContext} is rebuilt on every CDS push
 *     and compares by identity). Connection pools key on it, so that a connection made under
 *     other TLS settings is never reused.
 */
public record UpstreamTls(
        @Nullable SslContext sslContext,
        @Nullable String sni,
        List<SanMatcher> sanMatchers,
        String settings,
        @Nullable MeshTls mesh) {

    public UpstreamTls {
        if ((sslContext == null) == (mesh == null)) {
            throw new IllegalArgumentException("sslContext and mesh: expected exactly one of them");
        }
        sanMatchers = List.copyOf(sanMatchers);
        Objects.requireNonNull(settings, "settings");
    }

    /** TLS from files (or without validation). */
    public UpstreamTls(SslContext sslContext, @Nullable String sni, List<SanMatcher> sanMatchers, String settings) {
        this(Objects.requireNonNull(sslContext, "sslContext"), sni, sanMatchers, settings, null);
    }

    /** One exact SAN of a type ({@code DNS}, {@code URI} or {@code IP_ADDRESS}). */
    public record SanMatcher(SanType type, String value) {
        public SanMatcher {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
        }
    }

    /** The SAN types Istio emits, with their {@code GeneralName} tags (RFC 5280). */
    public enum SanType {
        EMAIL(1),
        DNS(2),
        URI(6),
        IP_ADDRESS(7);

        private final int generalNameTag;

        SanType(int generalNameTag) {
            this.generalNameTag = generalNameTag;
        }

        public int generalNameTag() {
            return generalNameTag;
        }
    }
}
