package io.zonemesh.cli.explain;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code zonemesh x}: experimental commands, as istioctl's {@code x} group. */
@Command(
        name = "x",
        mixinStandardHelpOptions = true,
        description = "Experimental commands.",
        subcommands = {ExplainCommand.class})
public final class XCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
