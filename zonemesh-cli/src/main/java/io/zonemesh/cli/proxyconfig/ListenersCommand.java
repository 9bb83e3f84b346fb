package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code proxy-config listeners}: the proxy's LDS listeners, from {@code /config_dump}. */
@Command(
        name = "listeners",
        aliases = {"listener", "l"},
        mixinStandardHelpOptions = true,
        description = "Retrieves listener configuration for the proxy in the specified pod.")
final class ListenersCommand extends ProxyConfigSubcommand {
    @Option(names = "--address", defaultValue = "", description = "Filter listeners by address field.")
    String address = "";

    @Option(names = "--type", defaultValue = "", description = "Filter listeners by type field (HTTP, TCP, HTTP+TCP).")
    String type = "";

    @Option(names = "--port", defaultValue = "0", description = "Filter listeners by Port field.")
    int port;

    @Option(
            names = "--verbose",
            arity = "0..1",
            defaultValue = "true",
            fallbackValue = "true",
            description = "Output more information: a row per filter chain (--verbose=false: per listener).")
    boolean verbose = true;

    @Override
    String render(AdminClient admin, OutputFormat format) throws Exception {
        ConfigDumpJson dump = new ConfigDumpJson(admin.get("/config_dump?mask=dynamic_listeners,static_listeners"));
        List<JsonNode> listeners = ListenerSummary.select(dump, new ListenerSummary.Filter(address, port, type));
        return format.table() ? ListenerSummary.table(listeners, verbose).toString() : format.printResources(listeners);
    }
}
