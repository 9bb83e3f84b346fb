package io.zonemesh.cli.proxyconfig;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What every {@code proxy-config} subcommand shares: the proxy to read and {@code -o}. */
abstract class ProxyConfigSubcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProxyTarget target = new ProxyTarget();

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "short",
            description = "Output format: one of json|yaml|short|wide (default: ${DEFAULT-VALUE}).")
    String output = "short";

    @Override
    public final Integer call() throws Exception {
        OutputFormat format;
        try {
            format = OutputFormat.parse(output);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        spec.commandLine().getOut().print(render(target.client(spec), format));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The command's output in {@code format}, read through {@code admin}. */
    abstract String render(AdminClient admin, OutputFormat format) throws Exception;
}
