package io.zonemesh.proxy.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.admin.v3.Certificate;
import io.envoyproxy.envoy.admin.v3.CertificateDetails;
import io.envoyproxy.envoy.admin.v3.Certificates;
import io.envoyproxy.envoy.admin.v3.SubjectAlternateName;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.identity.WorkloadSecret;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * {@code /certs} in Envoy's {@code envoy.admin.v3.Certificates} shape: one entry for the workload
 * certificate the proxy serves as SDS {@code default}, with its chain ({@code cert_chain}, leaf
 * first) and the SDS {@code ROOTCA} roots ({@code ca_cert}); serial numbers in lowercase hex,
 * days until expiration rounded down (0 once expired), as Envoy prints them. Empty before the
 * first certificate. SDS secrets have no file, so {@code path} is not set.
 */
final class CertsPage {
    private static final int DNS = 2;
    private static final int URI = 6;
    private static final int IP = 7;

    /**
     * Envoy prints {@code /certs} with every primitive field, so a certificate with less than a
     * day left shows {@code "days_until_expiration": "0"}.
     */
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().includingDefaultValueFields();

    private CertsPage() {}

    /** The page's JSON. */
    static String json(@Nullable WorkloadSecret secret, long nowMillis) throws InvalidProtocolBufferException {
        return PRINTER.print(certificates(secret, nowMillis));
    }

    static Certificates certificates(@Nullable WorkloadSecret secret, long nowMillis) {
        Certificates.Builder out = Certificates.newBuilder();
        if (secret == null) {
            return out.build();
        }
        Certificate.Builder entry = Certificate.newBuilder();
        for (X509Certificate root : secret.roots()) {
            entry.addCaCert(details(root, nowMillis));
        }
        for (X509Certificate certificate : secret.chain()) {
            entry.addCertChain(details(certificate, nowMillis));
        }
        return out.addCertificates(entry).build();
    }

    @SuppressWarnings("JavaUtilDate") // X509Certificate's validity is a Date; read once as millis
    static CertificateDetails details(X509Certificate certificate, long nowMillis) {
        long notAfter = certificate.getNotAfter().getTime();
        long days = notAfter <= nowMillis ? 0 : Duration.ofMillis(notAfter - nowMillis).toDays();
        CertificateDetails.Builder details = CertificateDetails.newBuilder()
                .setSerialNumber(certificate.getSerialNumber().toString(16).toLowerCase(Locale.ROOT))
                .setDaysUntilExpiration(days)
                .setValidFrom(timestamp(certificate.getNotBefore().getTime()))
                .setExpirationTime(timestamp(notAfter));
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (name.size() < 2 || !(name.get(0) instanceof Integer type)) {
                        continue;
                    }
                    String value = String.valueOf(name.get(1));
                    switch (type) {
                        case URI -> details.addSubjectAltNames(SubjectAlternateName.newBuilder().setUri(value));
                        case DNS -> details.addSubjectAltNames(SubjectAlternateName.newBuilder().setDns(value));
                        case IP -> details.addSubjectAltNames(SubjectAlternateName.newBuilder().setIpAddress(value));
                        default -> {
                            // Envoy lists only these three kinds.
                        }
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // A SAN extension the JDK cannot parse is shown as none.
        }
        return details.build();
    }

    private static Timestamp timestamp(long millis) {
        return Timestamp.newBuilder()
                .setSeconds(Math.floorDiv(millis, 1000))
                .setNanos(Math.floorMod(millis, 1000) * 1_000_000)
                .build();
    }
}
