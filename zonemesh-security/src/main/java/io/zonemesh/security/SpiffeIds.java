package io.zonemesh.security;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The SPIFFE identity a certificate carries. */
public final class SpiffeIds {
    /** {@link X509Certificate#getSubjectAlternativeNames()}'s type for a URI (RFC 5280 GeneralName tag 6). */
    private static final int URI = 6;

    private SpiffeIds() {}

    /** The first {@code spiffe://} URI SAN of {@code certificate}, if any. */
    public static Optional<String> uriSan(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        for (List<?> name : names) {
            if (name.size() >= 2
                    && name.get(0) instanceof Integer type
                    && type == URI
                    && name.get(1) instanceof String uri
                    && uri.startsWith("spiffe://")) {
                return Optional.of(uri);
            }
        }
        return Optional.empty();
    }
}
