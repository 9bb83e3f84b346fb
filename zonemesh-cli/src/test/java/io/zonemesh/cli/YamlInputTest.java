package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.demo.ExampleFiles;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.yaml.YamlLimits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code up} and {@code analyze} make of unusual YAML: they read it the same way. */
class YamlInputTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The multi-az example with its DestinationRule's host written as an alias. */
    private static Path exampleWithAliasedHost(String rule) throws Exception {
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml", "locality-failover.yaml"));
        Path file = dir.resolve("locality-failover.yaml");
        String yaml = Files.readString(file);
        Files.writeString(
                file,
                yaml.replace("metadata: {name: helloworld, namespace: sample}", rule)
                        .replace("  host: helloworld.sample.svc.cluster.local", "  host: *h"));
        return dir;
    }

    @Test
    void aliasResolvesIdenticallyInAnalyzeAndInUpsLoader() throws Exception {
        Path dir = exampleWithAliasedHost("metadata: {name: helloworld, namespace: sample, labels: {svc: &h "
                + "helloworld.sample.svc.cluster.local}}");

        Run analyze = run("analyze", "-f", dir.toString());
        StringWriter upErr = new StringWriter();
        LoadResult up = ConfigFiles.load(dir, YamlLimits.DEFAULT, new PrintWriter(upErr));

        assertThat(analyze.exit()).as(analyze.out()).isZero();
        assertThat(analyze.out()).contains("no issues found");
        assertThat(upErr.toString()).isEmpty();
        assertThat(up.bundle().istio().destinationRules())
                .singleElement()
                .satisfies(dr -> assertThat(dr.host()).isEqualTo("helloworld.sample.svc.cluster.local"));
    }

    @Test
    // An up that accepted the file would run until stopped.
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aliasWithoutAnchorIsTheSameErrorInAnalyzeAndUp() throws Exception {
        Path dir = exampleWithAliasedHost("metadata: {name: helloworld, namespace: sample}");
        String expected = "locality-failover.yaml (document 1): line 7, column 9: alias *h refers to no anchor";

        Run analyze = run("analyze", "-f", dir.toString());
        Run up = run("up", "-f", dir.toString(), "--state-dir", tmp.toString());

        assertThat(analyze.exit()).isEqualTo(1);
        assertThat(analyze.out()).contains("ERROR ZM0100").contains(expected);
        assertThat(up.exit()).isEqualTo(1);
        assertThat(up.err()).contains("ERROR ZM0100").contains(expected).contains("nothing started");
    }

    @Test
    // An up that accepted the file would run until stopped.
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fileOverTheLimitNamesTheOptionThatRaisesIt() throws Exception {
        Path file = tmp.resolve("ns.yaml");
        Files.writeString(file, "apiVersion: v1\nkind: Namespace\nmetadata: {name: big}\n#" + "x".repeat(2048) + "\n");

        Run small = run("analyze", "--max-file-size", "1Ki", "-f", file.toString());
        Run raised = run("analyze", "--max-file-size", "4Ki", "-f", file.toString());
        Run up = run("up", "--max-file-size", "1024", "-f", file.toString(), "--state-dir", tmp.toString());

        assertThat(small.exit()).isEqualTo(1);
        assertThat(small.out())
                .contains("ZM0002 " + file + ": is 2,103 bytes, over the limit of 1,024 bytes")
                .contains("--max-file-size");
        assertThat(raised.exit()).as(raised.out()).isZero();
        assertThat(up.exit()).isEqualTo(1);
        assertThat(up.err()).contains("over the limit of 1,024 bytes").contains("nothing started");
        assertThat(run("analyze", "--max-file-size", "lots", "-f", file.toString())
                        .err())
                .contains("'lots' (expected: a positive size such as 1048576, 512Ki, 32Mi or 1Gi)");
    }
}
