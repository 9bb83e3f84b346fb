package io.zonemesh.xds.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.PeerAuthenticationConfig;
import io.zonemesh.model.istio.PeerAuthenticationConfig.Mode;
import io.zonemesh.model.istio.ResourceMeta;
import io.zonemesh.model.istio.WorkloadSelector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Precedence and inheritance of PeerAuthentications, as istiod's {@code ComposePeerAuthentication}. */
class PeerAuthnPoliciesTest {
    private static final Map<String, String> APP = Map.of("app", "reviews", "version", "v1");

    static PeerAuthenticationConfig policy(
            String namespace, String name, @Nullable Map<String, String> selector, Mode mode, Map<Integer, Mode> ports) {
        return policy(namespace, name, selector, mode, ports, null);
    }

    static PeerAuthenticationConfig policy(
            String namespace,
            String name,
            @Nullable Map<String, String> selector,
            Mode mode,
            Map<Integer, Mode> ports,
            @Nullable Instant created) {
        return new PeerAuthenticationConfig(
                new ResourceMeta("PeerAuthentication", namespace, name, Map.of(), Map.of(), "test.yaml", 1),
                selector == null ? null : new WorkloadSelector(selector),
                mode,
                ports,
                created);
    }

    private static MergedPeerAuthentication resolve(PeerAuthenticationConfig... policies) {
        return PeerAuthnPolicies.of("istio-system", List.of(policies)).forWorkload("bookinfo", APP);
    }

    @Test
    void withoutPoliciesEveryPortIsPermissive() {
        MergedPeerAuthentication m = resolve();

        assertThat(m.mode()).isEqualTo(Mode.PERMISSIVE);
        assertThat(m.modeForPort(9080)).isEqualTo(Mode.PERMISSIVE);
        assertThat(PeerAuthnPolicies.of("istio-system", List.of()).namespaceMode("bookinfo")).isNull();
    }

    @Test
    void meshThenNamespaceThenWorkloadThenPortEachOverrideTheLevelAbove() {
        PeerAuthenticationConfig mesh = policy("istio-system", "default", null, Mode.STRICT, Map.of());
        PeerAuthenticationConfig ns = policy("bookinfo", "default", null, Mode.DISABLE, Map.of());
        PeerAuthenticationConfig workload =
                policy("bookinfo", "reviews", Map.of("app", "reviews"), Mode.PERMISSIVE, Map.of(9080, Mode.STRICT));

        assertThat(resolve(mesh).mode()).isEqualTo(Mode.STRICT);
        assertThat(resolve(mesh, ns).mode()).isEqualTo(Mode.DISABLE);
        MergedPeerAuthentication all = resolve(mesh, ns, workload);
        assertThat(all.mode()).isEqualTo(Mode.PERMISSIVE);
        assertThat(all.modeForPort(9080)).isEqualTo(Mode.STRICT);
        assertThat(all.modeForPort(9443)).isEqualTo(Mode.PERMISSIVE);
    }

    @Test
    void unsetInheritsFromTheNearestSetLevel() {
        PeerAuthenticationConfig mesh = policy("istio-system", "default", null, Mode.STRICT, Map.of());
        PeerAuthenticationConfig ns = policy("bookinfo", "default", null, Mode.UNSET, Map.of());
        PeerAuthenticationConfig workload =
                policy("bookinfo", "reviews", Map.of("app", "reviews"), Mode.UNSET, Map.of(9080, Mode.UNSET));

        MergedPeerAuthentication m = resolve(mesh, ns, workload);

        assertThat(m.mode()).isEqualTo(Mode.STRICT);
        assertThat(m.perPort()).containsEntry(9080, Mode.STRICT);
        PeerAuthnPolicies policies = PeerAuthnPolicies.of("istio-system", List.of(mesh, ns));
        assertThat(policies.namespaceMode("bookinfo")).isEqualTo(Mode.STRICT);
        assertThat(policies.namespaceMode("other")).isEqualTo(Mode.STRICT);
    }

    @Test
    void anUnsetMeshPolicyIsPermissiveAndAnUnsetNamespacePolicyInheritsIt() {
        PeerAuthnPolicies meshUnset = PeerAuthnPolicies.of(
                "istio-system", List.of(policy("istio-system", "default", null, Mode.UNSET, Map.of())));
        PeerAuthnPolicies nsUnset =
                PeerAuthnPolicies.of("istio-system", List.of(policy("bookinfo", "default", null, Mode.UNSET, Map.of())));

        assertThat(meshUnset.namespaceMode("bookinfo")).isEqualTo(Mode.PERMISSIVE);
        assertThat(nsUnset.namespaceMode("bookinfo")).isEqualTo(Mode.PERMISSIVE);
        assertThat(nsUnset.namespaceMode("other")).isNull();
    }

    @Test
    void aWorkloadPolicyAppliesOnlyToWorkloadsWhoseLabelsIncludeItsSelector() {
        PeerAuthenticationConfig other =
                policy("bookinfo", "ratings", Map.of("app", "ratings"), Mode.STRICT, Map.of(9080, Mode.DISABLE));

        MergedPeerAuthentication m = resolve(other);

        assertThat(m.mode()).isEqualTo(Mode.PERMISSIVE);
        assertThat(m.perPort()).isEmpty();
    }

    @Test
    void policiesOfOtherNamespacesAndSelectorsInTheRootNamespaceDoNotApply() {
        PeerAuthenticationConfig otherNs = policy("other", "default", null, Mode.STRICT, Map.of());
        PeerAuthenticationConfig rootSelector =
                policy("istio-system", "reviews", Map.of("app", "reviews"), Mode.STRICT, Map.of());

        assertThat(resolve(otherNs, rootSelector).mode()).isEqualTo(Mode.PERMISSIVE);
    }

    @Test
    void theOldestPolicyOfALevelWinsThenTheFirstName() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        PeerAuthenticationConfig newer = policy("bookinfo", "a-newer", null, Mode.STRICT, Map.of(), t0.plusSeconds(60));
        PeerAuthenticationConfig older = policy("bookinfo", "z-older", null, Mode.DISABLE, Map.of(), t0);
        PeerAuthenticationConfig sameTimeB = policy("bookinfo", "b", Map.of("app", "reviews"), Mode.STRICT, Map.of());
        PeerAuthenticationConfig sameTimeA = policy("bookinfo", "a", Map.of("app", "reviews"), Mode.DISABLE, Map.of());

        assertThat(resolve(newer, older).mode()).isEqualTo(Mode.DISABLE);
        assertThat(PeerAuthnPolicies.of("istio-system", List.of(newer, older)).namespaceMode("bookinfo"))
                .isEqualTo(Mode.DISABLE);
        assertThat(resolve(sameTimeB, sameTimeA).mode()).isEqualTo(Mode.DISABLE);
    }
}
