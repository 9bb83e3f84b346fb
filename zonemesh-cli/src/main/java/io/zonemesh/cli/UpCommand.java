package io.zonemesh.cli;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.yaml.YamlLimits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zonemesh up -f DIR} or {@code --cluster NAME=DIR ...}: the local mesh, until interrupted. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Run a whole mesh locally from Kubernetes + Istio YAML: control plane, a sidecar per meshed "
                + "workload and an echo app per pod, all on 127.0.0.1, until interrupted.")
final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--filename"},
            description = "A YAML file or a directory of them, e.g. examples/multi-az (one cluster).")
    @io.zonemesh.common.Nullable
    Path path;

    @Option(
            names = "--cluster",
            paramLabel = "NAME=DIR",
            description = "A cluster of a multi-primary mesh and its YAML folder, repeatable: one control plane and CA "
                    + "(an intermediate of one root) per cluster; remote secrets in a folder name the clusters it "
                    + "discovers. Not with -f.")
    List<String> clusters = new ArrayList<>();

    @Option(
            names = "--state-dir",
            description = "Where to record the running mesh (default $ZONEMESH_STATE_DIR or ~/.zonemesh).")
    Path stateDir;

    @Option(
            names = "--watch",
            negatable = true,
            defaultValue = "true",
            description = "Re-read the files when they change and push the new config; invalid changes are reported "
                    + "and not applied (default: on).")
    boolean watch;

    @Option(
            names = "--cert-ttl",
            defaultValue = "PT24H",
            description =
                    "Lifetime of the certificates the sidecars ask the mesh CA for, ISO-8601 (Istio's SECRET_TTL, "
                            + "default 24h); each sidecar rotates its certificate at half of it.")
    Duration certTtl;

    @Mixin
    YamlLimitOptions yamlLimits = new YamlLimitOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        YamlLimits limits = yamlLimits.limits();
        Path dir = stateDir != null ? stateDir : MeshStateFile.defaultDir();
        if (path != null && !clusters.isEmpty()) {
            err.println("zonemesh up: -f/--filename and --cluster cannot be used together (expected: -f DIR for one "
                    + "cluster, or --cluster NAME=DIR for each cluster)");
            return 2;
        }
        if (path == null && clusters.isEmpty()) {
            err.println("zonemesh up: no mesh given (expected: -f DIR, or --cluster NAME=DIR for each cluster)");
            return 2;
        }
        if (!clusters.isEmpty()) {
            List<MultiClusterUp.ClusterArg> args = new ArrayList<>();
            try {
                for (String c : clusters) {
                    args.add(MultiClusterUp.ClusterArg.parse(c));
                }
            } catch (IllegalArgumentException e) {
                err.println("zonemesh up: " + e.getMessage());
                return 2;
            }
            return new MultiClusterUp(args, limits, watch, certTtl, out, err).run(dir);
        }
        Path path = java.util.Objects.requireNonNull(this.path, "-f");
        LoadResult result = ConfigFiles.load(path, limits, err);
        if (result == null || result.hasErrors()) {
            err.println("zonemesh up: " + path + " has errors; nothing started");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger exit = new AtomicInteger();
        LocalMesh started;
        try {
            started = LocalMesh.start(result.bundle(), RandomSource.system(), certTtl);
        } catch (IllegalArgumentException e) { // a cacerts Secret that holds no usable CA
            err.println("zonemesh up: " + e.getMessage() + "; nothing started");
            return 1;
        }
        try (LocalMesh mesh = started;
                ConfigWatcher watcher = watch
                        ? ConfigWatcher.start(
                                path,
                                p -> ConfigFiles.load(p, limits, err),
                                ConfigWatcher.Target.of(mesh),
                                out,
                                err,
                                () -> writeState(mesh, dir, err),
                                message -> {
                                    err.println(message);
                                    err.flush();
                                    exit.set(1);
                                    stopped.countDown();
                                })
                        : null) {
            // Gateways bind their listeners once xDS arrives: record the mesh when it is in sync.
            mesh.awaitConverged(Duration.ofSeconds(60));
            MeshStateFile state = writeState(mesh, dir, err);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                MeshStateFile.remove(dir, state.pid());
                                stopped.countDown();
                            },
                            "zonemesh-shutdown"));
            out.println(MeshSummary.render(state));
            out.println("control plane: xDS 127.0.0.1:" + state.xdsPort() + ", CA and xDS over TLS 127.0.0.1:"
                    + state.xdsTlsPort() + ", status http://127.0.0.1:" + state.debugPort() + "/debug/syncz");
            out.println("mTLS: certificates from "
                    + mesh.ca().signingCertificate().getSubjectX500Principal()
                    + ", rotated at half of " + certTtl.toHours() + "h; PeerAuthentication in the YAML decides what "
                    + "each inbound port accepts (default PERMISSIVE)");
            out.println("mesh recorded in " + dir.resolve("mesh.json") + "; try:");
            state.proxies().stream()
                    .filter(p -> !p.gateway())
                    .findFirst()
                    .ifPresent(p -> out.println("  zonemesh send --from " + p.namespace() + "/" + p.owner()
                            + " --url http://<service>.<namespace>:<port>/ -n 10"));
            state.proxies().stream()
                    .filter(p -> !p.gateway() && !p.inboundPorts().isEmpty())
                    .findFirst()
                    .ifPresent(p -> out.println("  openssl s_client -connect 127.0.0.1:"
                            + p.inboundPorts().values().iterator().next()
                            + " -showcerts </dev/null   # " + p.namespace() + "/" + p.pod() + ": " + p.spiffeId()));
            state.gateways().stream()
                    .findFirst()
                    .ifPresent(g -> out.println("  zonemesh send --gateway " + g.namespace() + "/" + g.name()
                            + " --url http://<host>/ -n 10"));
            out.println("Ctrl-C stops the mesh.");
            out.flush();
            stopped.await();
        } finally {
            MeshStateFile.remove(dir, ProcessHandle.current().pid());
        }
        return exit.get();
    }

    private MeshStateFile writeState(LocalMesh mesh, Path dir, PrintWriter err) {
        MeshStateFile state = mesh.describe(
                java.util.Objects.requireNonNull(path, "-f").toAbsolutePath().toString());
        try {
            state.write(dir);
        } catch (java.io.IOException e) {
            err.println("zonemesh up: could not record the mesh in " + dir + ": " + e.getMessage());
        }
        return state;
    }
}
