package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code proxy-config all}: clusters, listeners, routes and EDS endpoints, each table after a
 * blank line, from one {@code /config_dump?include_eds=true}; {@code -o json|yaml} prints that
 * dump whole, as istioctl does. As there, listener and endpoint rows start with their config
 * type ({@code listener/<name>}, {@code endpoint/<address>}); istioctl's bootstrap and secret
 * tables are not printed (zonemesh-proxy has no bootstrap; secrets are {@code proxy-config secret}).
 */
@Command(
        name = "all",
        aliases = {"a"},
        mixinStandardHelpOptions = true,
        description = "Retrieves all configuration for the proxy in the specified pod.")
final class AllCommand extends ProxyConfigSubcommand {
    @Option(names = "--fqdn", defaultValue = "", description = "Filter clusters by substring of Service FQDN field.")
    String fqdn = "";

    @Option(names = "--direction", defaultValue = "", description = "Filter clusters by Direction field.")
    String direction = "";

    @Option(names = "--subset", defaultValue = "", description = "Filter clusters by substring of Subset field.")
    String subset = "";

    @Option(names = "--port", defaultValue = "0", description = "Filter clusters and listeners by Port field.")
    int port;

    @Option(names = "--address", defaultValue = "", description = "Filter listeners by address field.")
    String address = "";

    @Option(names = "--type", defaultValue = "", description = "Filter listeners by type field.")
    String type = "";

    @Option(names = "--name", defaultValue = "", description = "Filter routes by route name field.")
    String name = "";

    @Option(
            names = "--verbose",
            arity = "0..1",
            defaultValue = "true",
            fallbackValue = "true",
            description = "Output more information.")
    boolean verbose = true;

    @Override
    String render(AdminClient admin, OutputFormat format) throws Exception {
        JsonNode json = admin.get("/config_dump?include_eds=true");
        if (!format.table()) {
            return format.print(json);
        }
        ConfigDumpJson dump = new ConfigDumpJson(json);
        // istioctl's `all` filters endpoints by --address and --port too (its EDS filter has no
        // --cluster or --status flags in this command).
        return ClusterSummary.table(
                        ClusterSummary.select(dump, new ClusterSummary.Filter(fqdn, port, subset, direction)))
                + "\n"
                + ListenerSummary.table(
                        ListenerSummary.select(dump, new ListenerSummary.Filter(address, port, type)), verbose, true)
                + "\n"
                + RouteSummary.table(RouteSummary.select(dump, name), verbose)
                + "\n"
                + EdsSummary.table(dump, new EndpointSummary.Filter(address, port, "", ""));
    }
}
