package io.zonemesh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zonemesh.cli.demo.CanaryDemo;
import io.zonemesh.cli.demo.CrossRegionDemo;
import io.zonemesh.cli.demo.DemoReport;
import io.zonemesh.cli.demo.ExternalFailoverDemo;
import io.zonemesh.cli.demo.MultiAzDemo;
import io.zonemesh.cli.demo.MultiClusterDemo;
import io.zonemesh.common.RandomSource;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zonemesh demo [SCENARIO]}: canonical scenarios on the local mesh, printed as tables. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run a canonical scenario on the local mesh and print what each client saw, by zone.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            defaultValue = "multi-az",
            description = "Scenario: multi-az (default), external-failover, cross-region, canary, multicluster; the "
                    + "meshes of the repository's examples/ folders of those names, bundled into the CLI.")
    String scenario;

    @Option(
            names = {"-n", "--requests"},
            description = "Requests per client per phase (default 200; 2000 for cross-region's 90/10 split).")
    Integer requests;

    @Option(
            names = "--ejection-time",
            defaultValue = "PT3S",
            description = "baseEjectionTime used instead of the example's 1m, ISO-8601 (default 3s).")
    Duration ejectionTime;

    @Option(names = "--seed", description = "Seed the proxies' load-balancing randomness for a repeatable run.")
    Long seed;

    @Option(names = "--json", description = "Print the phases as JSON.")
    boolean json;

    private int orDefault(int n) {
        return requests == null ? n : requests;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RandomSource random = seed == null ? RandomSource.system() : RandomSource.seededThreadSafe(seed);
        PrintStream progress = json ? null : new PrintStream(new WriterOutputStream(out), true, StandardCharsets.UTF_8);
        DemoReport report;
        switch (scenario) {
            case "multi-az":
                report = new MultiAzDemo(orDefault(200), ejectionTime, random, progress).run();
                break;
            case "external-failover":
                report = new ExternalFailoverDemo(orDefault(200), random, progress).run();
                break;
            case "cross-region":
                report = new CrossRegionDemo(orDefault(2000), random, progress).run();
                break;
            case "canary":
                report = new CanaryDemo(orDefault(2000), random, progress).run();
                break;
            case "multicluster":
                report = new MultiClusterDemo(orDefault(200), ejectionTime, random, progress).run();
                break;
            default:
                spec.commandLine()
                        .getErr()
                        .println("zonemesh demo: unknown scenario '" + scenario
                                + "' (expected: multi-az, external-failover, cross-region, canary, multicluster)");
                return 2;
        }
        if (json) {
            out.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report));
        }
        if (!report.failures().isEmpty() && progress != null) {
            report.failures().forEach(f -> progress.println("FAILED " + f));
        }
        out.flush();
        // A demo that checks its phases (multicluster) fails the command when one did not hold.
        return report.failures().isEmpty() ? 0 : 1;
    }
}
