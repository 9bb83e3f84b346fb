package io.zonemesh.bench.jmh;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.bench.mesh.MeshShape;
import io.zonemesh.bench.mesh.ProxyNodes;
import io.zonemesh.bench.mesh.SyntheticMesh;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.xds.ProxyGroupKey;
import io.zonemesh.xds.ProxyIdentities;
import io.zonemesh.xds.ProxyIdentity;
import java.util.List;

/**
 * What the control-plane benchmarks share: the synthetic mesh in a registry and two sidecars of
 * the same proxy group (same namespace and zone, different services), so the second one hits
 * the group cache the first one filled.
 */
final class PushFixture {
    final MeshRegistry registry;
    final MeshState state;
    final PodInstance first;
    final PodInstance second;
    final Node firstNode;
    final Node secondNode;
    final ProxyIdentity firstIdentity;
    final ProxyGroupKey group;

    PushFixture(MeshShape shape) {
        registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, SyntheticMesh.bundle(shape));
        state = registry.state();
        List<PodInstance> zoneOne = registry.pods().stream()
                .filter(p -> p.sidecar()
                        && p.locality().zone().equals(SyntheticMesh.zone(1))
                        && p.namespace().equals(SyntheticMesh.namespace(0)))
                .toList();
        first = zoneOne.get(0);
        second = zoneOne.stream()
                .filter(p -> !p.owner().equals(first.owner()))
                .findFirst()
                .orElse(zoneOne.get(zoneOne.size() - 1));
        if (first.equals(second)) {
            throw new IllegalStateException("the mesh needs two sidecar pods in " + SyntheticMesh.zone(1));
        }
        firstNode = ProxyNodes.of(first);
        secondNode = ProxyNodes.of(second);
        firstIdentity = ProxyIdentities.fromNode(
                firstNode,
                state.workload(first.namespace(), first.name()),
                state.settings(),
                registry.applicationPorts(first));
        group = ProxyGroupKey.of(state, firstIdentity);
        ProxyIdentity secondIdentity = ProxyIdentities.fromNode(
                secondNode,
                state.workload(second.namespace(), second.name()),
                state.settings(),
                registry.applicationPorts(second));
        if (!ProxyGroupKey.of(state, secondIdentity).equals(group)) {
            throw new IllegalStateException(
                    "benchmark pods " + first.name() + " and " + second.name() + " are in different proxy groups");
        }
    }
}
