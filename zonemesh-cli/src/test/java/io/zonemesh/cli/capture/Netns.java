package io.zonemesh.cli.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host commands for {@link CaptureNetnsTest}; every run is bounded. */
final class Netns {
    private static final long TIMEOUT_SECONDS = 60;

    private Netns() {}

    /** The command's output; fails when it exits non-zero or runs past the bound. */
    static String run(String... command) throws IOException, InterruptedException {
        Result result = tryRun(command);
        if (result.exit() != 0) {
            throw new IOException(
                    String.join(" ", command) + " failed (exit " + result.exit() + "): " + result.output());
        }
        return result.output();
    }

    static Result tryRun(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": still running after " + TIMEOUT_SECONDS + " s");
        }
        return new Result(
                process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    /** The same command inside a namespace. */
    static List<String> in(String namespace, String... command) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        out.addAll(List.of(command));
        return out;
    }

    record Result(int exit, String output) {}
}
