package io.zonemesh.cli.mesh;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.MeshState;
import java.util.List;
import java.util.function.Consumer;

/**
 * One cluster of a {@link MultiClusterMesh}: its mesh, its latest YAML, the clusters it discovers,
 * and the last version of its own part ({@link ClusterAggregate#ownPart}) that the clusters
 * discovering it were told about. Comparing own parts, not versions, is what ends the
 * propagation: a cluster rebuilt because of a remote change publishes the same own part again.
 */
final class ClusterNode {
    private final String name;
    private final LocalMesh mesh;
    private volatile MeshConfigBundle bundle;
    private volatile List<String> remotes = List.of();
    /** Guarded by this. */
    private ClusterAggregate.@Nullable Part published;

    ClusterNode(String name, LocalMesh mesh, MeshConfigBundle bundle) {
        this.name = name;
        this.mesh = mesh;
        this.bundle = bundle;
    }

    String name() {
        return name;
    }

    LocalMesh mesh() {
        return mesh;
    }

    MeshConfigBundle bundle() {
        return bundle;
    }

    void bundle(MeshConfigBundle b) {
        this.bundle = b;
    }

    List<String> remotes() {
        return remotes;
    }

    void remotes(List<String> r) {
        this.remotes = List.copyOf(r);
    }

    /** Calls {@code onChange} with this cluster's name whenever its own part of the mesh changes. */
    void listenTo(Consumer<String> onChange) {
        published = ClusterAggregate.ownPart(mesh.registry().state(), name);
        mesh.registry().addListener(state -> {
            if (changed(state)) {
                onChange.accept(name);
            }
        });
    }

    private synchronized boolean changed(MeshState state) {
        ClusterAggregate.Part part = ClusterAggregate.ownPart(state, name);
        if (part.equals(published)) {
            return false;
        }
        published = part;
        return true;
    }
}
