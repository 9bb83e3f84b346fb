package io.zonemesh.cli.proxyconfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code zonemesh proxy-config}: istioctl's proxy-config over a proxy's admin API, with its
 * columns, filters and ordering, for a pod of the running local mesh or any proxy by address.
 */
@Command(
        name = "proxy-config",
        aliases = {"pc"},
        mixinStandardHelpOptions = true,
        description = "Retrieve information about a proxy's configuration (like istioctl proxy-config).",
        subcommands = {
            ClustersCommand.class,
            ListenersCommand.class,
            RoutesCommand.class,
            EndpointsCommand.class,
            SecretCommand.class,
            AllCommand.class
        })
public final class ProxyConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
