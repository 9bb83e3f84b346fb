package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * {@code proxy-config secret}: istioctl's secret table (RESOURCE NAME, TYPE, STATUS, VALID CERT,
 * SERIAL NUMBER, NOT AFTER, NOT BEFORE) over the proxy's {@code /certs} (Envoy's
 * {@code envoy.admin.v3.Certificates}). istioctl reads the SDS secrets of {@code /config_dump};
 * {@code /certs} holds the same certificates without the SDS names, so a certificate chain is
 * shown as Istio names it, {@code default}, and a trust bundle as {@code ROOTCA}; both are in
 * use, so ACTIVE.
 */
final class SecretSummary {
    private SecretSummary() {}

    /** The table, or istioctl's line for a proxy without certificates; validity as of {@code now}. */
    static String render(JsonNode certificates, Instant now) {
        TabWriter table = new TabWriter(5)
                .row("RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE");
        for (JsonNode entry : certificates.path("certificates")) {
            // istioctl describes the first certificate of each secret: the leaf, or the first root.
            row(table, "default", "Cert Chain", entry.path("cert_chain").path(0), now);
            row(table, "ROOTCA", "CA", entry.path("ca_cert").path(0), now);
        }
        if (table.rows().size() == 1) {
            return "No active or warming secrets found.\n";
        }
        return table.toString();
    }

    private static void row(TabWriter table, String name, String type, JsonNode cert, Instant now) {
        if (cert.isMissingNode()) {
            return;
        }
        Instant notBefore = Instant.parse(cert.path("valid_from").asText());
        Instant notAfter = Instant.parse(cert.path("expiration_time").asText());
        table.row(
                name,
                type,
                "ACTIVE",
                Boolean.toString(now.isAfter(notBefore) && now.isBefore(notAfter)),
                serial(cert.path("serial_number").asText()),
                rfc3339(notAfter),
                rfc3339(notBefore));
    }

    /** Go's {@code %x} of the serial: lower-case hex without leading zeros. */
    private static String serial(String hex) {
        String digits = hex.toLowerCase(Locale.ROOT).replaceFirst("^0+(?=.)", "");
        return digits;
    }

    /** Go's {@code time.RFC3339} of a certificate time: UTC, whole seconds. */
    private static String rfc3339(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }
}
