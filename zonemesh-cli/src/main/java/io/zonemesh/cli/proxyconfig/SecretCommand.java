package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonemesh.common.Clock;
import java.time.Instant;
import picocli.CommandLine.Command;

/** {@code proxy-config secret}: the proxy's workload certificate and trust bundle, from {@code /certs}. */
@Command(
        name = "secret",
        aliases = {"secrets", "s"},
        mixinStandardHelpOptions = true,
        description = "Retrieves secret configuration for the proxy in the specified pod.")
final class SecretCommand extends ProxyConfigSubcommand {
    /** Whether a certificate is valid now: the CLI's clock (tests render with a fixed instant). */
    Clock clock = Clock.system();

    @Override
    String render(AdminClient admin, OutputFormat format) throws Exception {
        JsonNode certs = admin.get("/certs");
        return format.table()
                ? SecretSummary.render(certs, Instant.ofEpochMilli(clock.currentTimeMillis()))
                : format.print(certs);
    }
}
