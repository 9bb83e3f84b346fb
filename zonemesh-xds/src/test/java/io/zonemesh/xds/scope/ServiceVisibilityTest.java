package io.zonemesh.xds.scope;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.model.istio.SidecarConfig;
import io.zonemesh.model.istio.WorkloadSelector;
import io.zonemesh.xds.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceVisibilityTest {

    private static Service exported(String name, String ns, List<String> exportTo) {
        Service s = Fixtures.service(name, ns, 80);
        return new Service(
                s.hostname(),
                ns,
                name,
                s.ports(),
                Map.of(),
                Map.of(),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                exportTo,
                null);
    }

    private static MeshState mesh(List<Service> services, List<SidecarConfig> sidecars) {
        IstioConfig istio = new IstioConfig(List.of(), List.of(), List.of(), List.of(), List.of(), sidecars);
        return new MeshState(1, services, Map.of(), List.of(), istio, MeshSettings.DEFAULT);
    }

    private static List<String> visible(MeshState state, String ns, Map<String, String> labels) {
        return ServiceVisibility.visibleServices(state, ns, labels, true).stream()
                .map(Service::name)
                .toList();
    }

    @Test
    void honoursExportTo() {
        MeshState state = mesh(
                List.of(
                        exported("public", "a", List.of()),
                        exported("star", "a", List.of("*")),
                        exported("private", "a", List.of(".")),
                        exported("toB", "a", List.of("b")),
                        exported("hidden", "a", List.of("~"))),
                List.of());

        assertThat(visible(state, "a", Map.of())).containsExactlyInAnyOrder("public", "star", "private");
        assertThat(visible(state, "b", Map.of())).containsExactlyInAnyOrder("public", "star", "toB");
        assertThat(visible(state, "c", Map.of())).containsExactlyInAnyOrder("public", "star");
    }

    @Test
    void sidecarEgressHostsLimitWhatASidecarSees() {
        SidecarConfig sidecar = new SidecarConfig(
                Fixtures.meta("Sidecar", "a", "default", Map.of()),
                null,
                List.of(new SidecarConfig.Egress(null, List.of("./*", "b/db.b.svc.cluster.local"))));
        MeshState state = mesh(
                List.of(
                        exported("web", "a", List.of()),
                        exported("db", "b", List.of()),
                        exported("cache", "b", List.of())),
                List.of(sidecar));

        assertThat(visible(state, "a", Map.of())).containsExactly("db", "web");
        assertThat(ServiceVisibility.visibleServices(state, "a", Map.of(), false))
                .hasSize(3);
    }

    @Test
    void workloadSelectedSidecarWinsOverNamespaceAndRootDefaults() {
        SidecarConfig root = new SidecarConfig(
                Fixtures.meta("Sidecar", "istio-system", "default", Map.of()),
                null,
                List.of(new SidecarConfig.Egress(null, List.of("*/*"))));
        SidecarConfig selected = new SidecarConfig(
                Fixtures.meta("Sidecar", "a", "batch", Map.of()),
                new WorkloadSelector(Map.of("app", "batch")),
                List.of(new SidecarConfig.Egress(null, List.of("b/*"))));
        MeshState state =
                mesh(List.of(exported("web", "a", List.of()), exported("db", "b", List.of())), List.of(root, selected));

        assertThat(visible(state, "a", Map.of("app", "batch"))).containsExactly("db");
        assertThat(visible(state, "a", Map.of("app", "web"))).containsExactly("db", "web");
    }

    @Test
    void serviceInTheProxyNamespaceWinsASharedHostName() {
        Service remote = exported("same", "b", List.of());
        Service local = new Service(
                remote.hostname(),
                "a",
                "same-entry",
                remote.ports(),
                Map.of(),
                Map.of(),
                Service.Origin.SERVICE_ENTRY_INTERNAL,
                Service.Resolution.STATIC,
                List.of(),
                null);
        MeshState state = mesh(List.of(remote, local), List.of());

        assertThat(visible(state, "a", Map.of())).containsExactly("same-entry");
        assertThat(visible(state, "c", Map.of())).containsExactly("same");
    }
}
