package io.zonemesh.cli.top;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code zonemesh top zones}' command line: its help and its usage errors. */
class TopZonesCommandTest {
    @TempDir
    Path stateDir;

    record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("zonemesh: " + ex.getMessage());
            return 1;
        });
        int exit = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void helpSaysWhichGigabyteAndHowTheCostIsComputed() {
        Result help = run("top", "zones", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out().replaceAll("\\s+", " "))
                .contains("--price-per-gb")
                .contains("a GB being 10^9 bytes")
                .contains("Cost per day = cross-zone bytes/s x 86,400 / 1e9 x this price")
                .contains("--window")
                .contains("--once");
        assertThat(run("top", "--help").out()).contains("zones");
    }

    @Test
    void withoutARunningMeshItSaysHowToStartOne() {
        Result r = run("top", "zones", "--once", "--state-dir", stateDir.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no running mesh found in " + stateDir).contains("--admin HOST:PORT");
    }

    @Test
    void aWindowShorterThanTheIntervalIsAUsageError() {
        Result r = run("top", "zones", "--window", "1s", "--interval", "2s", "--admin", "127.0.0.1:1");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--window: PT1S (expected: at least --interval, PT2S)");
    }

    @Test
    void aMalformedAdminAddressIsAUsageError() {
        Result r = run("top", "zones", "--once", "--admin", "nohost");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--admin: 'nohost' (expected: host:port, port 0..65535)");
    }
}
