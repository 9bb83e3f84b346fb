package io.zonemesh.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Istio's injection rules: the webhook selectors of mutatingwebhook.yaml, then injectRequired. */
class InjectionPolicyTest {
    private static final Map<String, String> NONE = Map.of();

    @Test
    void namespaceLabelEnabledSelectsUnlessThePodLabelSaysFalse() {
        Map<String, String> enabled = Map.of("istio-injection", "enabled");
        assertThat(InjectionPolicy.webhookSelects(enabled, NONE, "default")).isTrue();
        assertThat(InjectionPolicy.webhookSelects(enabled, Map.of("sidecar.istio.io/inject", "false"), "default"))
                .isFalse();
        assertThat(InjectionPolicy.webhookSelects(
                        Map.of("istio-injection", "disabled"), Map.of("sidecar.istio.io/inject", "true"), "default"))
                .isFalse();
    }

    @Test
    void revisionLabelSelectsOnlyItsRevisionAndOnlyWithoutTheInjectionLabel() {
        assertThat(InjectionPolicy.webhookSelects(Map.of("istio.io/rev", "default"), NONE, "default"))
                .isTrue();
        assertThat(InjectionPolicy.webhookSelects(Map.of("istio.io/rev", "canary"), NONE, "default"))
                .isFalse();
        assertThat(InjectionPolicy.webhookSelects(
                        Map.of("istio.io/rev", "default", "istio-injection", "disabled"), NONE, "default"))
                .isFalse();
    }

    @Test
    void podLabelsSelectInAnUnlabelledNamespace() {
        assertThat(InjectionPolicy.webhookSelects(NONE, NONE, "default")).isFalse();
        assertThat(InjectionPolicy.webhookSelects(NONE, Map.of("sidecar.istio.io/inject", "true"), "default"))
                .isTrue();
        assertThat(InjectionPolicy.webhookSelects(NONE, Map.of("istio.io/rev", "default"), "default"))
                .isTrue();
        assertThat(InjectionPolicy.webhookSelects(
                        NONE, Map.of("istio.io/rev", "canary", "sidecar.istio.io/inject", "true"), "default"))
                .isFalse();
    }

    @Test
    void labelWinsOverAnnotationAndOnlyExactlyFalseOptsOut() {
        assertThat(InjectionPolicy.injectRequired(
                        "ns",
                        false,
                        Map.of("sidecar.istio.io/inject", "true"),
                        Map.of("sidecar.istio.io/inject", "false")))
                .isTrue();
        assertThat(InjectionPolicy.injectRequired(
                        "ns",
                        false,
                        Map.of("sidecar.istio.io/inject", "false"),
                        Map.of("sidecar.istio.io/inject", "true")))
                .isFalse();
        assertThat(InjectionPolicy.injectRequired("ns", false, NONE, Map.of("sidecar.istio.io/inject", "false")))
                .isFalse();
        // istiod (inject.go injectRequired) accepts only "true" and "false"; any other value,
        // "False" and "no" included, falls back to the default policy: inject.
        for (String other : new String[] {"", "False", "no", "off", "maybe", "ON"}) {
            assertThat(InjectionPolicy.injectRequired("ns", false, NONE, Map.of("sidecar.istio.io/inject", other)))
                    .as("'%s'", other)
                    .isTrue();
        }
    }

    @Test
    void hostNetworkAndSystemNamespacesAreNeverInjected() {
        Map<String, String> yes = Map.of("sidecar.istio.io/inject", "true");
        assertThat(InjectionPolicy.injectRequired("ns", true, yes, NONE)).isFalse();
        for (String ignored : new String[] {"kube-system", "kube-public", "kube-node-lease", "local-path-storage"}) {
            assertThat(InjectionPolicy.injectRequired(ignored, false, yes, NONE))
                    .as(ignored)
                    .isFalse();
        }
        assertThat(InjectionPolicy.injectRequired(null, false, NONE, NONE)).isTrue();
    }
}
