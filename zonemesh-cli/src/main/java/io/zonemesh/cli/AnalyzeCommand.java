package io.zonemesh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.analysis.Analyzer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zonemesh analyze -f DIR}: validation errors and coded findings. */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = "Validate Kubernetes + Istio YAML and report coded findings (why failover cannot happen, "
                + "pools too small to eject, ...). Exits non-zero on errors.")
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--filename"},
            required = true,
            description = "A YAML file or a directory of them, e.g. examples/multi-az.")
    Path path;

    @Option(names = "--json", description = "Print the findings as a JSON array.")
    boolean json;

    @Mixin
    YamlLimitOptions yamlLimits = new YamlLimitOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.exists(path)) {
            spec.commandLine().getErr().println("zonemesh analyze: " + path + ": no such file or directory");
            return 2;
        }
        LoadResult result = ConfigFiles.read(path, yamlLimits.limits());
        List<Diagnostic> findings = new ArrayList<>(result.diagnostics());
        // Analyzers look at what loaded; resources with errors were left out of the bundle.
        findings.addAll(new Analyzer().analyze(result.bundle()));
        findings.addAll(XdsFindings.of(result.bundle()));
        if (json) {
            out.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(findings));
        } else if (findings.isEmpty()) {
            out.println("no issues found in " + path);
        } else {
            findings.forEach(d -> out.println(d.format()));
        }
        long errors = findings.stream().filter(Diagnostic::isError).count();
        long warnings = findings.stream()
                .filter(d -> d.severity() == Diagnostic.Severity.WARNING)
                .count();
        if (!json) {
            out.println(errors + " error(s), " + warnings + " warning(s)");
        }
        // Like istioctl analyze --failure-threshold Warning: a finding that makes failover impossible fails CI.
        return errors > 0 ? 1 : warnings > 0 && strict ? 3 : 0;
    }

    @Option(names = "--strict", description = "Exit 3 when there are warnings (and no errors).")
    boolean strict;
}
