package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code proxy-config endpoints}: every host of every cluster with its health and outlier state,
 * from {@code /clusters?format=json} as istioctl reads it.
 */
@Command(
        name = "endpoints",
        aliases = {"endpoint", "ep"},
        mixinStandardHelpOptions = true,
        description = "Retrieves endpoint configuration for the proxy in the specified pod "
                + "(-o wide: with locality, priority and weight).")
final class EndpointsCommand extends ProxyConfigSubcommand {
    @Option(names = "--address", defaultValue = "", description = "Filter endpoints by address field.")
    String address = "";

    @Option(names = "--port", defaultValue = "0", description = "Filter endpoints by Port field.")
    int port;

    @Option(names = "--cluster", defaultValue = "", description = "Filter endpoints by cluster name field.")
    String cluster = "";

    @Option(
            names = "--status",
            defaultValue = "",
            description = "Filter endpoints by status field (HEALTHY, UNHEALTHY, ...).")
    String status = "";

    @Override
    String render(AdminClient admin, OutputFormat format) throws Exception {
        JsonNode clusters = admin.get("/clusters?format=json");
        EndpointSummary.Filter filter = new EndpointSummary.Filter(address, port, cluster, status);
        return format.table()
                ? EndpointSummary.table(EndpointSummary.select(clusters, filter), format == OutputFormat.WIDE)
                        .toString()
                : format.print(EndpointSummary.clusterStatuses(clusters, filter));
    }
}
