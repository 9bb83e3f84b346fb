package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code zonemesh control-plane} and {@code zonemesh proxy} run in-process with the arguments a
 * user types, each stopped (and its exit code checked to be 0) at {@link #close}, last started
 * first. Other resources a test opens can be handed to {@link #add} to close in the same order.
 */
final class InProcessCommands implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    private static final Pattern CONTROL_PLANE_READY = Pattern.compile(
            "xDS on 127\\.0\\.0\\.1:(\\d+),[^\\n]*status on http://127\\.0\\.0\\.1:(\\d+)/(?s:.*)synced");
    private static final Pattern PROXY_READY = Pattern.compile("outbound 127\\.0\\.0\\.1:(\\d+)");

    private final List<AutoCloseable> closers = new ArrayList<>();

    /** The ports a started control plane reported. */
    record ControlPlanePorts(int xds, int debug) {}

    /** Closes {@code closer} at {@link #close}, before everything added earlier. */
    void add(AutoCloseable closer) {
        closers.add(closer);
    }

    /** Starts {@code zonemesh control-plane ARGS} and waits until its caches synced. */
    ControlPlanePorts controlPlane(String... args) {
        ControlPlaneCommand command = new ControlPlaneCommand();
        Matcher m = run(command, command::stop, CONTROL_PLANE_READY, args);
        return new ControlPlanePorts(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Starts {@code zonemesh proxy ARGS} and returns its outbound port. */
    int proxy(String... args) {
        ProxyCommand command = new ProxyCommand();
        return Integer.parseInt(run(command, command::stop, PROXY_READY, args).group(1));
    }

    /** Status code and body of a GET on {@code 127.0.0.1:port}, as {@code "200 body"}. */
    static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private Matcher run(Object command, Runnable stop, Pattern ready, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute(args));
        closers.add(() -> {
            stop.run();
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        });
        await().atMost(WAIT).until(() -> ready.matcher(out.toString()).find() || exit.isDone());
        Matcher m = ready.matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        return m;
    }

    @Override
    public void close() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
        closers.clear();
    }
}
