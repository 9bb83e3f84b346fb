package io.zonemesh.config.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.istio.ResourceMeta;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Istio's {@code GetTrafficDistribution} cases (pilot/pkg/model/service.go and the kube
 * controller's conversion tests): spec over annotation, annotation case-insensitive,
 * PreferClose an alias of PreferSameZone, and the namespace annotation under the service's own.
 */
class TrafficDistributionTest {
    private static final Map<String, String> NONE = Map.of();

    private static Map<String, String> annotated(String value) {
        return Map.of(TrafficDistribution.ANNOTATION, value);
    }

    private static K8sNamespace namespace(String name, Map<String, String> annotations) {
        return new K8sNamespace(new ResourceMeta("Namespace", "", name, Map.of(), annotations, "ns.yaml", 1));
    }

    @Test
    void specValuesMapAsIstioDoes() {
        assertThat(TrafficDistribution.of("PreferClose", NONE)).isEqualTo("PreferSameZone");
        assertThat(TrafficDistribution.of("PreferSameZone", NONE)).isEqualTo("PreferSameZone");
        assertThat(TrafficDistribution.of("PreferSameNode", NONE)).isEqualTo("PreferSameNode");
        assertThat(TrafficDistribution.of("Any", NONE)).isNull();
        assertThat(TrafficDistribution.of(null, NONE)).isNull();
    }

    @Test
    void specWinsOverTheAnnotationUnlessIstioDoesNotKnowItsValue() {
        assertThat(TrafficDistribution.of("PreferSameNode", annotated("PreferClose")))
                .isEqualTo("PreferSameNode");
        assertThat(TrafficDistribution.of("SomethingNew", annotated("PreferSameNode")))
                .isEqualTo("PreferSameNode");
    }

    @Test
    void annotationIsCaseInsensitiveAndUnknownValuesMeanAny() {
        assertThat(TrafficDistribution.of(null, annotated("preferclose"))).isEqualTo("PreferSameZone");
        assertThat(TrafficDistribution.of(null, annotated("PREFERSAMENODE"))).isEqualTo("PreferSameNode");
        assertThat(TrafficDistribution.of(null, annotated("Nearby"))).isNull();
    }

    @Test
    void serviceOverNamespaceAndNamespaceWhenTheServiceSaysNothing() {
        List<K8sNamespace> namespaces =
                List.of(namespace("shop", annotated("PreferSameNode")), namespace("other", NONE));

        assertThat(TrafficDistribution.resolve(null, "shop", namespaces)).isEqualTo("PreferSameNode");
        assertThat(TrafficDistribution.resolve("PreferSameZone", "shop", namespaces))
                .isEqualTo("PreferSameZone");
        assertThat(TrafficDistribution.resolve(null, "other", namespaces)).isNull();
        assertThat(TrafficDistribution.resolve(null, "undeclared", namespaces)).isNull();
    }
}
