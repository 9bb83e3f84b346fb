package io.zonemesh.bench.ads;

import io.zonemesh.bench.mesh.MeshShape;
import io.zonemesh.bench.mesh.SyntheticMesh;
import io.zonemesh.common.Clock;
import io.zonemesh.controlplane.ControlPlane;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.registry.MeshRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.management.ObjectName;

/**
 * The control plane alone in its own JVM, driven by {@link ForkedHost} over stdin/stdout, so its
 * heap and CPU are measured without the simulated clients. Arguments: services, zones,
 * endpoints per zone, namespaces, debounce in milliseconds. Protocol, one line each way:
 * {@code READY <port>} once; {@code scale <deployment> <replicas>} → {@code APPLIED <nanos>
 * <version>}; {@code stats} → {@code STATS <heap after GC> <cpu nanos>}; {@code histogram <file>} →
 * {@code WROTE <file>} (the live-object class histogram, as {@code jcmd GC.class_histogram}); {@code quit}.
 * Logs go to stderr.
 */
public final class ControlPlaneServer {
    private ControlPlaneServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("args: " + String.join(" ", args)
                    + " (expected: services zones endpointsPerZone namespaces debounceMillis)");
        }
        MeshShape shape = new MeshShape(
                Integer.parseInt(args[0]),
                Integer.parseInt(args[1]),
                Integer.parseInt(args[2]),
                Integer.parseInt(args[3]));
        Clock clock = Clock.system();
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, SyntheticMesh.bundle(shape));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (ControlPlane cp = ControlPlane.builder(registry)
                .xdsAddress(new InetSocketAddress("127.0.0.1", 0))
                .debugAddress(new InetSocketAddress("127.0.0.1", 0))
                .debounceAfter(Duration.ofMillis(Long.parseLong(args[4])))
                .start()) {
            out.println("READY " + cp.xdsPort());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                String[] words = line.trim().split("\\s+");
                switch (words[0]) {
                    case "scale" -> {
                        long start = clock.nanoTime();
                        MeshState s = registry.apply(
                                SyntheticMesh.scaled(registry.bundle(), words[1], Integer.parseInt(words[2])));
                        out.println("APPLIED " + (clock.nanoTime() - start) + " " + s.version());
                    }
                    case "stats" -> out.println("STATS " + heapAfterGc() + " " + cpuNanos());
                    case "histogram" -> {
                        Files.writeString(Path.of(words[1]), classHistogram());
                        out.println("WROTE " + words[1]);
                    }
                    default -> out.println("ERROR unknown command: " + line);
                }
            }
        }
    }

    /** Heap in use after full collections: what the control plane retains. */
    static long heapAfterGc() {
        // Two rounds: the first may only finish objects whose finalizers/cleaners run before the second.
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The live-object class histogram (it runs a full GC), via the JVM's DiagnosticCommand MBean. */
    static String classHistogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram",
                        new Object[] {new String[0]},
                        new String[] {String[].class.getName()});
    }

    private static long cpuNanos() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(Duration::toNanos)
                .orElse(-1L);
    }
}
