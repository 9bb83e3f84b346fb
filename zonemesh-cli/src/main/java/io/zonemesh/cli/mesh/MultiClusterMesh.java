package io.zonemesh.cli.mesh;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ClusterSettings;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.CertificateAuthority;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code zonemesh up --cluster NAME=DIR ...}: Istio's multi-primary mesh on one machine. Each
 * cluster is a {@link LocalMesh} with its own control plane, registry, CA and pods; the CAs are
 * intermediates of one root made at start ({@link MeshRoot}) unless a cluster's YAML holds a
 * {@code cacerts} Secret. A cluster discovers the clusters its remote secrets name
 * ({@link RemoteSecretsInYaml}): its registry then publishes their services, endpoints and network
 * gateways too ({@link ClusterAggregate}), and is rebuilt whenever their own part changes.
 */
public final class MultiClusterMesh implements AutoCloseable {
    /** A cluster as given on the command line: its name and its YAML. */
    public record Member(String name, MeshConfigBundle bundle) {
        public Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(bundle, "bundle");
        }
    }

    private final Map<String, ClusterNode> clusters;
    private final Consumer<String> warnings;

    private MultiClusterMesh(Map<String, ClusterNode> clusters, Consumer<String> warnings) {
        this.clusters = clusters;
        this.warnings = warnings;
    }

    /**
     * Starts every cluster, then wires discovery. All or nothing: a cluster that fails to start stops
     * the ones already started.
     *
     * @param warnings receives one line per remote secret naming no cluster of this mesh
     * @throws IllegalArgumentException two clusters with one name, or a {@code cacerts} Secret that
     *     does not load (the message names the cluster)
     */
    public static MultiClusterMesh start(
            List<Member> members, RandomSource random, Duration certificateTtl, Consumer<String> warnings)
            throws IOException {
        Map<String, ClusterSettings> settings = new LinkedHashMap<>();
        for (Member m : members) {
            ClusterSettings s = ClusterSettings.resolve(
                    m.bundle(), new ClusterSettings(m.name(), "", SpiffeId.DEFAULT_TRUST_DOMAIN));
            if (settings.put(s.clusterName(), s) != null) {
                throw new IllegalArgumentException("--cluster " + m.name() + ": cluster name " + s.clusterName()
                        + " is used twice (expected: one name per cluster; an IstioOperator's "
                        + "values.global.multiCluster.clusterName overrides the command line's)");
            }
        }
        Map<String, CertificateAuthority> cas =
                MeshRoot.intermediates(List.copyOf(settings.keySet()), Clock.system(), new SecureRandom());
        Map<String, ClusterNode> nodes = new LinkedHashMap<>();
        try {
            int i = 0;
            for (ClusterSettings s : settings.values()) {
                Member m = members.get(i++);
                LocalMesh mesh;
                try {
                    mesh = LocalMesh.startCluster(
                            m.bundle(),
                            random,
                            certificateTtl,
                            s,
                            Objects.requireNonNull(cas.get(s.clusterName()), "an intermediate per cluster"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("cluster " + s.clusterName() + ": " + e.getMessage(), e);
                }
                nodes.put(s.clusterName(), new ClusterNode(s.clusterName(), mesh, m.bundle()));
            }
        } catch (IOException | RuntimeException | Error e) {
            nodes.values().forEach(n -> n.mesh().close());
            throw e;
        }
        MultiClusterMesh mesh = new MultiClusterMesh(nodes, warnings);
        nodes.values().forEach(n -> n.listenTo(mesh::remoteChanged));
        for (ClusterNode n : nodes.values()) {
            mesh.rewire(n);
        }
        return mesh;
    }

    /** The clusters by name, in command-line order. */
    public Map<String, LocalMesh> clusters() {
        Map<String, LocalMesh> out = new LinkedHashMap<>();
        clusters.forEach((name, n) -> out.put(name, n.mesh()));
        return out;
    }

    /** The cluster called {@code name}. */
    public LocalMesh cluster(String name) {
        ClusterNode n = clusters.get(name);
        if (n == null) {
            throw new IllegalArgumentException("cluster: " + name + " (expected one of " + clusters.keySet() + ")");
        }
        return n.mesh();
    }

    /** The clusters {@code name} discovers through its remote secrets. */
    public List<String> remotesOf(String name) {
        ClusterNode n = clusters.get(name);
        return n == null ? List.of() : n.remotes();
    }

    /** Applies a cluster's changed YAML; a changed remote secret changes what it discovers. */
    public void apply(String name, MeshConfigBundle bundle) {
        ClusterNode n = Objects.requireNonNull(clusters.get(name), name);
        n.bundle(bundle);
        n.mesh().apply(bundle);
        rewire(n);
    }

    /** Waits until every cluster's proxies are in sync with their control plane. */
    public void awaitConverged(Duration timeout) throws TimeoutException, InterruptedException {
        for (ClusterNode n : clusters.values()) {
            n.mesh().awaitConverged(timeout);
        }
    }

    /** What {@code zonemesh up} records: every cluster's proxies and apps, the first cluster's ports on top. */
    public MeshStateFile describe(Map<String, String> configDirs) {
        List<MeshStateFile.Proxy> proxies = new ArrayList<>();
        List<MeshStateFile.App> apps = new ArrayList<>();
        List<MeshStateFile.Gateway> gateways = new ArrayList<>();
        List<MeshStateFile.Cluster> list = new ArrayList<>();
        MeshStateFile first = null;
        for (ClusterNode n : clusters.values()) {
            String dir = configDirs.getOrDefault(n.name(), "");
            MeshStateFile s = n.mesh().describe(dir);
            first = first == null ? s : first;
            proxies.addAll(s.proxies());
            apps.addAll(s.apps());
            gateways.addAll(s.gateways());
            ClusterSettings cs = Objects.requireNonNull(n.mesh().cluster(), "a cluster mesh has its settings");
            list.add(
                    new MeshStateFile.Cluster(n.name(), cs.network(), dir, s.xdsPort(), s.debugPort(), s.xdsTlsPort()));
        }
        MeshStateFile top = Objects.requireNonNull(first, "at least one cluster");
        return new MeshStateFile(
                top.pid(),
                String.join(",", configDirs.values()),
                top.xdsPort(),
                top.debugPort(),
                top.xdsTlsPort(),
                proxies,
                apps,
                gateways,
                list);
    }

    /** Re-reads {@code n}'s remote secrets and points its registry at the clusters they name. */
    private void rewire(ClusterNode n) {
        List<String> remotes = RemoteSecretsInYaml.clusters(n.bundle(), n.name(), clusters.keySet(), warnings);
        List<ClusterAggregate.Remote> sources = new ArrayList<>();
        for (String r : remotes) {
            LocalMesh remote =
                    Objects.requireNonNull(clusters.get(r), "a known cluster").mesh();
            sources.add(new ClusterAggregate.Remote(r, () -> remote.registry().state()));
        }
        if (!remotes.equals(n.remotes())) {
            n.remotes(remotes);
            n.mesh().registry().mergeRemoteClusters(state -> ClusterAggregate.merge(state, sources));
            n.mesh().registry().refresh();
        }
    }

    /** A cluster's own part changed: every cluster that discovers it rebuilds its view. */
    private void remoteChanged(String changed) {
        for (ClusterNode n : clusters.values()) {
            if (n.remotes().contains(changed)) {
                n.mesh().registry().refresh();
            }
        }
    }

    /** Stops every cluster (each its pods, control plane and event loops). */
    @Override
    public void close() {
        RuntimeException first = null;
        for (ClusterNode n : clusters.values()) {
            try {
                n.mesh().close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
