package io.zonemesh.cli.proxyconfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SecretSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void certChainAndRootAsIstioctlsSecretTable() throws Exception {
        // Envoy's /certs: serials in hex, times as proto Timestamps.
        String certs = """
                {"certificates": [{
                  "ca_cert": [{"serial_number": "0193a543fe2b0d9cd4847675394dfc54",
                               "valid_from": "2023-05-05T03:41:33Z", "expiration_time": "2033-05-02T03:41:33Z"}],
                  "cert_chain": [{"serial_number": "6FBEE254C22900615CB1F74E3D2F1713",
                                  "valid_from": "2023-05-15T01:30:52.250Z", "expiration_time": "2023-05-16T01:32:52Z"}]
                }]}""";
        String table = SecretSummary.render(JSON.readTree(certs), Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(table)
                .isEqualTo(
                        "RESOURCE NAME     TYPE           STATUS     VALID CERT     SERIAL NUMBER                        NOT AFTER                NOT BEFORE\n"
                                + "default           Cert Chain     ACTIVE     false          6fbee254c22900615cb1f74e3d2f1713     2023-05-16T01:32:52Z     2023-05-15T01:30:52Z\n"
                                + "ROOTCA            CA             ACTIVE     true           193a543fe2b0d9cd4847675394dfc54      2033-05-02T03:41:33Z     2023-05-05T03:41:33Z\n");
    }

    @Test
    void noCertificatesIsIstioctlsLine() throws Exception {
        assertThat(SecretSummary.render(JSON.readTree("{\"certificates\": []}"), Instant.EPOCH))
                .isEqualTo("No active or warming secrets found.\n");
    }
}
