package io.zonemesh.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodResolverTest {
    private static final List<MeshStateFile.Proxy> PROXIES = List.of(
            proxy("a", "sleep-1", "sleep"),
            proxy("a", "sleep-2", "sleep"),
            proxy("b", "sleep-1", "sleep"),
            proxy("a", "web-1", "web"),
            proxy("b", "db-1", "db"));

    private static MeshStateFile.Proxy proxy(String namespace, String pod, String owner) {
        return new MeshStateFile.Proxy(namespace, pod, owner, "r/z", 1, 2, 3, false, Map.of(), Map.of(), Map.of(), "");
    }

    @Test
    void aPodNameWithOrWithoutItsNamespace() {
        assertThat(PodResolver.resolve(PROXIES, "sleep-1.b")).isEqualTo(PROXIES.get(2));
        assertThat(PodResolver.resolve(PROXIES, "web-1")).isEqualTo(PROXIES.get(3));
        assertThat(PodResolver.resolve(PROXIES, "pod/db-1.b")).isEqualTo(PROXIES.get(4));
    }

    @Test
    void aDeploymentNameGivesItsOnlyPodOrWithThePrefixItsFirst() {
        assertThat(PodResolver.resolve(PROXIES, "web.a")).isEqualTo(PROXIES.get(3));
        assertThat(PodResolver.resolve(PROXIES, "deployment/sleep.a")).isEqualTo(PROXIES.get(0));
    }

    @Test
    void anAmbiguousNameListsTheCandidates() {
        assertThatThrownBy(() -> PodResolver.resolve(PROXIES, "sleep-1"))
                .hasMessage("pod: 'sleep-1' is ambiguous (matches: sleep-1.a, sleep-1.b; name one as POD.NAMESPACE)");
        assertThatThrownBy(() -> PodResolver.resolve(PROXIES, "sleep.a"))
                .hasMessage("pod: 'sleep.a' is ambiguous (matches: sleep-1.a, sleep-2.a; name one as POD.NAMESPACE)");
        assertThatThrownBy(() -> PodResolver.resolve(PROXIES, "deployment/sleep"))
                .hasMessage("pod: 'deployment/sleep' is ambiguous (matches: sleep-1.a, sleep-2.a, sleep-1.b;"
                        + " name one as POD.NAMESPACE)");
    }

    @Test
    void anUnknownNameListsEveryProxy() {
        assertThatThrownBy(() -> PodResolver.resolve(PROXIES, "web-1.b"))
                .hasMessage("pod: 'web-1.b' names no proxy of the running mesh (expected one of: "
                        + "sleep-1.a, sleep-2.a, web-1.a, db-1.b, sleep-1.b)");
        assertThatThrownBy(() -> PodResolver.resolve(PROXIES, "deployment/nope"))
                .hasMessage("deployment: 'deployment/nope' has no proxy (expected one of: "
                        + "deployment/sleep.a, deployment/web.a, deployment/db.b, deployment/sleep.b)");
    }
}
