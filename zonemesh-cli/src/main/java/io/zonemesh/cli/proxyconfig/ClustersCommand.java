package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code proxy-config clusters}: the proxy's CDS clusters, from {@code /config_dump}. */
@Command(
        name = "clusters",
        aliases = {"cluster", "c"},
        mixinStandardHelpOptions = true,
        description = "Retrieves cluster configuration for the proxy in the specified pod.")
final class ClustersCommand extends ProxyConfigSubcommand {
    @Option(names = "--fqdn", defaultValue = "", description = "Filter clusters by substring of Service FQDN field.")
    String fqdn = "";

    @Option(names = "--direction", defaultValue = "", description = "Filter clusters by Direction field.")
    String direction = "";

    @Option(names = "--subset", defaultValue = "", description = "Filter clusters by substring of Subset field.")
    String subset = "";

    @Option(names = "--port", defaultValue = "0", description = "Filter clusters by Port field.")
    int port;

    @Override
    String render(AdminClient admin, OutputFormat format) throws Exception {
        ConfigDumpJson dump =
                new ConfigDumpJson(admin.get("/config_dump?mask=dynamic_active_clusters,static_clusters"));
        List<JsonNode> clusters = ClusterSummary.select(dump, new ClusterSummary.Filter(fqdn, port, subset, direction));
        return format.table() ? ClusterSummary.table(clusters).toString() : format.printResources(clusters);
    }
}
