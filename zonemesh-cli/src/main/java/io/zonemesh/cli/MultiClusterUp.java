package io.zonemesh.cli;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.cli.mesh.MultiClusterMesh;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.yaml.YamlLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code zonemesh up --cluster NAME=DIR ...}: loads every folder, starts a {@link MultiClusterMesh},
 * watches each folder as {@code -f} does, records the mesh and waits until interrupted.
 */
final class MultiClusterUp {
    /** One {@code --cluster NAME=DIR}. */
    record ClusterArg(String name, Path dir) {
        /** Parses {@code NAME=DIR}. */
        static ClusterArg parse(String value) {
            int eq = value.indexOf('=');
            if (eq <= 0 || eq == value.length() - 1) {
                throw new IllegalArgumentException("--cluster: '" + value
                        + "' (expected: NAME=DIR, e.g. cluster1=examples/multicluster/cluster1)");
            }
            return new ClusterArg(value.substring(0, eq), Path.of(value.substring(eq + 1)));
        }
    }

    private final List<ClusterArg> clusters;
    private final YamlLimits limits;
    private final boolean watch;
    private final Duration certTtl;
    private final PrintWriter out;
    private final PrintWriter err;

    MultiClusterUp(
            List<ClusterArg> clusters,
            YamlLimits limits,
            boolean watch,
            Duration certTtl,
            PrintWriter out,
            PrintWriter err) {
        this.clusters = List.copyOf(clusters);
        this.limits = limits;
        this.watch = watch;
        this.certTtl = certTtl;
        this.out = out;
        this.err = err;
    }

    int run(Path stateDir) throws Exception {
        List<MultiClusterMesh.Member> members = new ArrayList<>();
        Map<String, String> dirs = new LinkedHashMap<>();
        for (ClusterArg c : clusters) {
            if (dirs.containsKey(c.name())) {
                err.println("zonemesh up: --cluster " + c.name() + " given twice (expected: one folder per cluster)");
                return 1;
            }
            LoadResult result = ConfigFiles.load(c.dir(), limits, err);
            if (result == null || result.hasErrors()) {
                err.println("zonemesh up: cluster " + c.name() + ": " + c.dir() + " has errors; nothing started");
                return 1;
            }
            members.add(new MultiClusterMesh.Member(c.name(), result.bundle()));
            dirs.put(c.name(), c.dir().toAbsolutePath().toString());
        }
        MultiClusterMesh started;
        try {
            started = MultiClusterMesh.start(members, RandomSource.system(), certTtl, this::warn);
        } catch (IllegalArgumentException e) {
            err.println("zonemesh up: " + e.getMessage() + "; nothing started");
            return 1;
        }
        // Cluster names may come from IstioOperators: the recorded dirs are keyed by the real names.
        Map<String, String> byCluster = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(started.clusters().keySet());
        for (int i = 0; i < names.size(); i++) {
            byCluster.put(names.get(i), dirs.get(clusters.get(i).name()));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger exit = new AtomicInteger();
        List<ConfigWatcher> watchers = new ArrayList<>();
        try (MultiClusterMesh mesh = started) {
            if (watch) {
                for (int i = 0; i < names.size(); i++) {
                    watchers.add(
                            watcher(mesh, names.get(i), clusters.get(i).dir(), stateDir, byCluster, exit, stopped));
                }
            }
            mesh.awaitConverged(Duration.ofSeconds(60));
            MeshStateFile state = writeState(mesh, stateDir, byCluster);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                MeshStateFile.remove(stateDir, state.pid());
                                stopped.countDown();
                            },
                            "zonemesh-shutdown"));
            out.println(MeshSummary.render(state));
            for (MeshStateFile.Cluster c : state.clusters()) {
                LocalMesh m = mesh.cluster(c.name());
                out.println("cluster " + c.name() + " (network " + (c.network().isEmpty() ? "-" : c.network())
                        + "): xDS 127.0.0.1:" + c.xdsPort() + ", CA and xDS over TLS 127.0.0.1:" + c.xdsTlsPort()
                        + ", CA " + m.ca().signingCertificate().getSubjectX500Principal() + ", discovers "
                        + (mesh.remotesOf(c.name()).isEmpty() ? "no other cluster" : mesh.remotesOf(c.name())));
            }
            out.println("mesh recorded in " + stateDir.resolve("mesh.json") + "; try:");
            state.proxies().stream()
                    .filter(p -> !p.gateway())
                    .findFirst()
                    .ifPresent(p -> out.println("  zonemesh send --cluster " + p.cluster() + " --from " + p.namespace()
                            + "/" + p.owner() + " --url http://<service>.<namespace>:<port>/ -n 10"));
            out.println("Ctrl-C stops the mesh.");
            out.flush();
            stopped.await();
        } finally {
            for (ConfigWatcher w : watchers) {
                w.close();
            }
            MeshStateFile.remove(stateDir, ProcessHandle.current().pid());
        }
        return exit.get();
    }

    private ConfigWatcher watcher(
            MultiClusterMesh mesh,
            String name,
            Path dir,
            Path stateDir,
            Map<String, String> dirs,
            AtomicInteger exit,
            CountDownLatch stopped) {
        LocalMesh local = mesh.cluster(name);
        ConfigWatcher.Target target = new ConfigWatcher.Target() {
            @Override
            public void apply(MeshConfigBundle bundle) {
                mesh.apply(name, bundle);
            }

            @Override
            public void awaitConverged(Duration timeout) throws TimeoutException, InterruptedException {
                mesh.awaitConverged(timeout);
            }

            @Override
            public long version() {
                return local.registry().state().version();
            }
        };
        return ConfigWatcher.start(
                dir,
                p -> ConfigFiles.load(p, limits, err),
                target,
                out,
                err,
                () -> writeState(mesh, stateDir, dirs),
                message -> {
                    err.println("cluster " + name + ": " + message);
                    err.flush();
                    exit.set(1);
                    stopped.countDown();
                });
    }

    private MeshStateFile writeState(MultiClusterMesh mesh, Path dir, Map<String, String> dirs) {
        MeshStateFile state = mesh.describe(dirs);
        try {
            state.write(dir);
        } catch (IOException e) {
            err.println("zonemesh up: could not record the mesh in " + dir + ": " + e.getMessage());
        }
        return state;
    }

    private void warn(String line) {
        err.println("warning: " + line);
        err.flush();
    }
}
