package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code proxy-config routes}: the proxy's RDS route configurations, from {@code /config_dump}. */
@Command(
        name = "routes",
        aliases = {"route", "r"},
        mixinStandardHelpOptions = true,
        description = "Retrieves route configuration for the proxy in the specified pod.")
final class RoutesCommand extends ProxyConfigSubcommand {
    @Option(names = "--name", defaultValue = "", description = "Filter routes by route name field.")
    String name = "";

    @Option(
            names = "--verbose",
            arity = "0..1",
            defaultValue = "true",
            fallbackValue = "true",
            description = "Output more information: a row per route (--verbose=false: per route configuration).")
    boolean verbose = true;

    @Override
    String render(AdminClient admin, OutputFormat format) throws Exception {
        ConfigDumpJson dump =
                new ConfigDumpJson(admin.get("/config_dump?mask=dynamic_route_configs,static_route_configs"));
        List<JsonNode> routes = RouteSummary.select(dump, name);
        return format.table() ? RouteSummary.table(routes, verbose).toString() : format.printResources(routes);
    }
}
