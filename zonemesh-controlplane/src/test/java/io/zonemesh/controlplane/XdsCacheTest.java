package io.zonemesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.MeshRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cache's own bookkeeping, without gRPC (AdsServerTest covers the protocol over sockets). */
class XdsCacheTest {
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    @Test
    void answersAWatchWhenConfigArrivesAndForgetsAProxyOnceItsLastWatchIsGone() throws Exception {
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, AdsServerTest.multiAz());
        XdsSnapshotFactory factory = new XdsSnapshotFactory(registry);
        XdsCache cache = new XdsCache();
        Node node = AdsServerTest.node(registry);
        List<Response> responses = new ArrayList<>();

        Watch first = cache.createWatch(
                true,
                XdsRequest.create(DiscoveryRequest.newBuilder()
                        .setNode(node)
                        .setTypeUrl(CDS)
                        .build()),
                Set.of(),
                responses::add,
                false,
                false);
        assertThat(responses).isEmpty();
        cache.setSnapshot(node.getId(), factory.build(registry.state(), node));
        assertThat(responses).hasSize(1);
        assertThat(responses.get(0).resources()).isNotEmpty();
        assertThat(first.isCancelled()).isFalse();

        // ACKed: the next watch waits; the proxy's stream closes, then the watch is cancelled.
        Watch second = cache.createWatch(
                true,
                XdsRequest.create(DiscoveryRequest.newBuilder()
                        .setNode(node)
                        .setTypeUrl(CDS)
                        .setVersionInfo(responses.get(0).version())
                        .build()),
                Set.of(),
                responses::add,
                false,
                false);
        assertThat(responses).hasSize(1);
        cache.remove(node.getId());
        assertThat(cache.size()).isEqualTo(1);
        second.cancel();
        assertThat(cache.size()).isZero();
        assertThat(cache.snapshot(node.getId())).isNull();
    }
}
