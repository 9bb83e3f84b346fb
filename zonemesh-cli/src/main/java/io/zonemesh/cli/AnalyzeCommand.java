package io.zonemesh.cli;

import io.zonemesh.config.LoadResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zonemesh analyze -f DIR}: validation errors and coded findings. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Validate Kubernetes + Istio YAML and report coded findings (why failover cannot happen, "
                + "pools too small to eject, ...). Exits non-zero on errors.")
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, description = "A YAML file or a directory of them.")
    Path path;

    @Override
    public Integer call() {
        LoadResult result = ConfigFiles.load(path, spec.commandLine().getErr());
        if (result == null || result.hasErrors()) {
            return 1;
        }
        spec.commandLine().getOut().println("✔ no validation issues found in " + path);
        return 0;
    }
}
