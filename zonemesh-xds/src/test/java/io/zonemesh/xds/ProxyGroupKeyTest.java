package io.zonemesh.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.model.istio.SidecarConfig;
import io.zonemesh.model.istio.WorkloadSelector;
import io.zonemesh.xds.locality.TopologyLabels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyGroupKeyTest {
    private final XdsGenerator generator = new XdsGenerator();
    private final MeshState multiAz = MultiAzMesh.state(MultiAzMesh.localityFailoverRule());

    private static ProxyIdentity pod(String name, Map<String, String> labels, Locality locality, String node) {
        return new ProxyIdentity(
                "sample",
                name,
                "sleep-az01",
                labels,
                locality,
                ProxyIdentity.ProxyType.SIDECAR,
                false,
                Map.of(80, "127.0.0.1:" + (8000 + name.length())),
                node,
                "Kubernetes",
                "");
    }

    @Test
    void podsOfOneZoneShareAKeyAndTheirOutboundOutput() {
        ProxyIdentity a = pod(
                "sleep-az01-a", Map.of("app", "sleep", "pod-template-hash", "1"), MultiAzMesh.AZ01, "cluster1-worker");
        ProxyIdentity b = pod(
                "sleep-az01-bb",
                Map.of("app", "sleep", "pod-template-hash", "2"),
                MultiAzMesh.AZ01,
                "cluster1-worker3");

        assertThat(ProxyGroupKey.of(multiAz, a)).isEqualTo(ProxyGroupKey.of(multiAz, b));
        assertThat(generator.outbound(multiAz, a)).isEqualTo(generator.outbound(multiAz, b));
        assertThat(generator.inbound(multiAz, a)).isNotEqualTo(generator.inbound(multiAz, b));
    }

    @Test
    void localityNamespaceProxyTypeAndOverprovisioningSupportSplitGroups() {
        ProxyIdentity base = MultiAzMesh.sleep(multiAz, "az01");
        ProxyGroupKey key = ProxyGroupKey.of(multiAz, base);
        ProxyIdentity otherZone = MultiAzMesh.sleep(multiAz, "az02");
        ProxyIdentity otherNamespace = new ProxyIdentity(
                "other",
                base.podName(),
                base.owner(),
                base.labels(),
                base.locality(),
                base.proxyType(),
                false,
                base.appPorts(),
                base.nodeName(),
                base.cluster(),
                "");
        ProxyIdentity router = new ProxyIdentity(
                "sample",
                base.podName(),
                base.owner(),
                base.labels(),
                base.locality(),
                ProxyIdentity.ProxyType.ROUTER,
                false,
                base.appPorts(),
                base.nodeName(),
                base.cluster(),
                "");

        assertThat(ProxyGroupKey.of(multiAz, otherZone)).isNotEqualTo(key);
        assertThat(ProxyGroupKey.of(multiAz, otherNamespace)).isNotEqualTo(key);
        assertThat(ProxyGroupKey.of(multiAz, router)).isNotEqualTo(key);
        assertThat(ProxyGroupKey.of(multiAz, base.withoutOverprovisioning(true)))
                .isNotEqualTo(key);
        assertThat(generator.outbound(multiAz, otherZone)).isNotEqualTo(generator.outbound(multiAz, base));
    }

    @Test
    void labelsEnterTheKeyOnlyWhenAFailoverPriorityNamesThem() {
        MeshState byVersion = new TestMesh()
                .service(Fixtures.service("helloworld", "sample", 5000))
                .endpoints(
                        Fixtures.endpoint("10.0.0.1", "r/z", Map.of("version", "v1")),
                        Fixtures.endpoint("10.0.0.2", "r/z", Map.of("version", "v2")))
                .rule(Fixtures.rule(
                        "sample",
                        "helloworld",
                        Fixtures.policy(Fixtures.failoverPriority("version"), Fixtures.outlier(1))))
                .build();
        ProxyIdentity v1 = ProxyIdentity.sidecar("sample", "a", Map.of("version", "v1"), Locality.parse("r/z"));
        ProxyIdentity v2 = ProxyIdentity.sidecar("sample", "b", Map.of("version", "v2"), Locality.parse("r/z"));

        assertThat(ProxyGroupKey.of(byVersion, v1)).isNotEqualTo(ProxyGroupKey.of(byVersion, v2));
        assertThat(ProxyGroupKey.of(byVersion, v1).labels()).containsExactly(Map.entry("version", "v1"));
        assertThat(generator.outbound(byVersion, v1)).isNotEqualTo(generator.outbound(byVersion, v2));
        assertThat(ProxyGroupKey.of(multiAz, v1)).isEqualTo(ProxyGroupKey.of(multiAz, v2));
    }

    @Test
    void preferSameNodeMakesTheNodePartOfTheKey() {
        Service s = Fixtures.service("helloworld", "sample", 5000);
        MeshState state = new TestMesh()
                .service(new Service(
                        s.hostname(),
                        s.namespace(),
                        s.name(),
                        s.ports(),
                        Map.of(),
                        Map.of(),
                        Service.Origin.KUBERNETES,
                        Service.Resolution.EDS,
                        List.of(),
                        "PreferSameNode"))
                .build();
        ProxyIdentity a = pod("a", Map.of(), MultiAzMesh.AZ01, "node-1");
        ProxyIdentity b = pod("b", Map.of(), MultiAzMesh.AZ01, "node-2");

        assertThat(ProxyGroupKey.of(state, a)).isNotEqualTo(ProxyGroupKey.of(state, b));
        assertThat(ProxyGroupKey.of(state, a).labels()).containsEntry(TopologyLabels.HOSTNAME, "node-1");
        assertThat(ProxyGroupKey.of(multiAz, a)).isEqualTo(ProxyGroupKey.of(multiAz, b));
    }

    @Test
    void sidecarSelectorLabelsOfTheProxyNamespaceEnterTheKey() {
        SidecarConfig batchOnly = new SidecarConfig(
                Fixtures.meta("Sidecar", "sample", "batch", Map.of()),
                new WorkloadSelector(Map.of("tier", "batch")),
                List.of(new SidecarConfig.Egress(null, List.of("./sleep.sample.svc.cluster.local"))));
        MeshState state = new TestMesh()
                .service(Fixtures.service("sleep", "sample", 80))
                .service(Fixtures.service("helloworld", "sample", 5000))
                .sidecar(batchOnly)
                .build();
        ProxyIdentity batch = ProxyIdentity.sidecar("sample", "a", Map.of("tier", "batch"), MultiAzMesh.AZ01);
        ProxyIdentity web = ProxyIdentity.sidecar("sample", "b", Map.of("tier", "web"), MultiAzMesh.AZ01);

        assertThat(ProxyGroupKey.of(state, batch)).isNotEqualTo(ProxyGroupKey.of(state, web));
        assertThat(generator.outbound(state, batch).clusters()).hasSize(1);
        assertThat(generator.outbound(state, web).clusters()).hasSize(2);
    }

    @Test
    void aProxyWithoutAnyLabelsIsKeptApartFromOneWithIrrelevantLabels() {
        ProxyIdentity bare = ProxyIdentity.sidecar("sample", "a", Map.of(), Locality.EMPTY);
        ProxyIdentity labelled = ProxyIdentity.sidecar("sample", "b", Map.of("app", "x"), Locality.EMPTY);

        assertThat(ProxyGroupKey.of(multiAz, bare).hasLabels()).isFalse();
        assertThat(ProxyGroupKey.of(multiAz, labelled).hasLabels()).isTrue();
    }
}
