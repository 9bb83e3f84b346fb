package io.zonemesh.bench.ads;

import io.zonemesh.bench.mesh.MeshShape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs {@link ControlPlaneServer} in a child JVM on this JVM's class path, so the control plane's
 * heap and CPU are its own, as istiod's are in a cluster. Every reply is awaited with a timeout
 * and the child is killed on close.
 */
final class ForkedHost implements ControlPlaneHost {
    private static final String EOF = "\u0000eof";
    private static final Pattern REPLY = Pattern.compile("(READY|APPLIED|STATS|WROTE|ERROR) ");

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Duration timeout;
    private final int port;

    ForkedHost(MeshShape shape, Duration debounce, List<String> jvmArgs, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        this.timeout = timeout;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ControlPlaneServer.class.getName());
        command.add(Integer.toString(shape.services()));
        command.add(Integer.toString(shape.zones()));
        command.add(Integer.toString(shape.endpointsPerZone()));
        command.add(Integer.toString(shape.namespaces()));
        command.add(Long.toString(debounce.toMillis()));
        this.process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readReplies, "control-plane-replies");
        reader.setDaemon(true);
        reader.start();
        String ready = reply("READY");
        this.port = Integer.parseInt(ready.split(" ")[1]);
    }

    @Override
    public int xdsPort() {
        return port;
    }

    @Override
    public long scale(String deployment, int replicas) throws Exception {
        send("scale " + deployment + " " + replicas);
        return Long.parseLong(reply("APPLIED").split(" ")[1]);
    }

    @Override
    public ServerStats stats() throws Exception {
        send("stats");
        String[] words = reply("STATS").split(" ");
        return new ServerStats(Long.parseLong(words[1]), Long.parseLong(words[2]));
    }

    @Override
    public void writeHistogram(Path file) throws Exception {
        send("histogram " + file.toAbsolutePath());
        reply("WROTE");
    }

    @Override
    public void close() throws InterruptedException {
        try {
            send("quit");
        } catch (IOException e) {
            // Already gone: nothing to ask it.
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void send(String line) throws IOException {
        commands.write(line + "\n");
        commands.flush();
    }

    private String reply(String expected) throws InterruptedException, TimeoutException {
        String line = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new TimeoutException(
                    "control plane did not answer " + expected + " within " + timeout.toSeconds() + " s");
        }
        if (line.equals(EOF) || !line.startsWith(expected + " ")) {
            throw new IllegalStateException("control plane answered '" + (line.equals(EOF) ? "<exited>" : line)
                    + "' (expected: " + expected + " ...)");
        }
        return line;
    }

    private void readReplies() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                // The JVM itself may print to stdout (e.g. -XX:StartFlightRecording): pass that on.
                if (REPLY.matcher(line).lookingAt()) {
                    replies.add(line);
                } else {
                    System.err.println("[control plane] " + line);
                }
            }
        } catch (IOException e) {
            // The child closed its stdout; EOF below tells the waiting side.
        }
        replies.add(EOF);
    }
}
