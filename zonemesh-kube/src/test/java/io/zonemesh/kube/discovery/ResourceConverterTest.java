package io.zonemesh.kube.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

class ResourceConverterTest {
    private final ResourceConverter converter = new ResourceConverter();

    @Test
    void podWithAFieldNewerThanTheModelIsKept() {
        Pod pod = ClusterObjects.pod("hw-a", "helloworld", "v1", "node-a", "10.0.0.1");
        pod.getSpec().setAdditionalProperty("fieldFromANewerKubernetes", "x");
        pod.getStatus().setAdditionalProperty("anotherOne", 3);
        ResourceConverter.Converted c = converter.convert(pod);
        assertThat(c.errors()).isEmpty();
        assertThat(c.result().bundle().pods())
                .singleElement()
                .satisfies(p -> assertThat(p.podIp()).isEqualTo("10.0.0.1"));
    }

    @Test
    void istioResourceWithAnUnknownFieldIsRejectedAsAnalyzeRejectsIt() {
        var dr = KubeDiscoveryTest.destinationRule("dr", "helloworld.sample.svc.cluster.local");
        dr.getSpec().setAdditionalProperty("trafficPolicyy", "typo");
        ResourceConverter.Converted c = converter.convert(dr);
        assertThat(c.rejected()).isTrue();
        assertThat(c.errors()).contains("ZM0102").contains("trafficPolicyy");
    }
}
