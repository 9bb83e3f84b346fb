package io.zonemesh.cli.top;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code zonemesh top}: live views of the running mesh, refreshed like {@code top}. */
@Command(
        name = "top",
        mixinStandardHelpOptions = true,
        description = "Live views of the running mesh, refreshed like top.",
        subcommands = {TopZonesCommand.class})
public final class TopCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
