package io.zonemesh.xds.scope;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.DestinationRuleConfig.Subset;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.WorkloadSelector;
import io.zonemesh.xds.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationRuleLookupTest {
    private static final String HOST = "reviews.shop.svc.cluster.local";
    private static final TrafficPolicy POLICY = Fixtures.policy(Fixtures.enabled(), Fixtures.outlier(1));

    private static DestinationRuleConfig rule(String namespace, String name, String host, List<String> exportTo) {
        return new DestinationRuleConfig(
                Fixtures.meta("DestinationRule", namespace, name, Map.of()), host, POLICY, List.of(), exportTo, null);
    }

    private static DestinationRuleConfig find(String proxyNamespace, DestinationRuleConfig... rules) {
        return new DestinationRuleLookup(List.of(rules), "cluster.local")
                .find(proxyNamespace, Map.of("app", "web"), HOST, "shop");
    }

    @Test
    void resolvesShortHostsInTheRuleNamespace() {
        assertThat(find("shop", rule("shop", "short", "reviews", List.of()))).isNotNull();
        assertThat(find("web", rule("web", "short", "reviews", List.of()))).isNull();
    }

    @Test
    void prefersTheProxyNamespaceThenTheServiceNamespaceThenTheRoot() {
        DestinationRuleConfig inProxyNs = rule("web", "proxy", HOST, List.of());
        DestinationRuleConfig inServiceNs = rule("shop", "service", HOST, List.of());
        DestinationRuleConfig inRoot = rule("istio-system", "root", HOST, List.of());

        assertThat(find("web", inRoot, inServiceNs, inProxyNs)).isSameAs(inProxyNs);
        assertThat(find("web", inRoot, inServiceNs)).isSameAs(inServiceNs);
        assertThat(find("web", inRoot)).isSameAs(inRoot);
    }

    @Test
    void respectsExportToOfOtherNamespaces() {
        assertThat(find("web", rule("shop", "private", HOST, List.of(".")))).isNull();
        assertThat(find("shop", rule("shop", "private", HOST, List.of(".")))).isNotNull();
        assertThat(find("web", rule("shop", "listed", HOST, List.of("web")))).isNotNull();
        assertThat(find("web", rule("shop", "hidden", HOST, List.of("~")))).isNull();
    }

    @Test
    void exactHostBeatsWildcardWithinANamespace() {
        DestinationRuleConfig wildcard = rule("shop", "wild", "*.shop.svc.cluster.local", List.of());
        DestinationRuleConfig exact = rule("shop", "exact", HOST, List.of());

        assertThat(find("web", wildcard, exact)).isSameAs(exact);
        assertThat(find("web", wildcard)).isSameAs(wildcard);
    }

    @Test
    void workloadSelectedRuleWinsForMatchingProxiesOnly() {
        DestinationRuleConfig selected = new DestinationRuleConfig(
                Fixtures.meta("DestinationRule", "web", "selected", Map.of()),
                HOST,
                POLICY,
                List.of(),
                List.of(),
                new WorkloadSelector(Map.of("app", "web")));
        DestinationRuleConfig other = new DestinationRuleConfig(
                Fixtures.meta("DestinationRule", "web", "other", Map.of()),
                HOST,
                POLICY,
                List.of(),
                List.of(),
                new WorkloadSelector(Map.of("app", "batch")));
        DestinationRuleConfig wide = rule("web", "wide", HOST, List.of());

        assertThat(find("web", wide, other, selected)).isSameAs(selected);
        assertThat(find("web", wide, other)).isSameAs(wide);
    }

    @Test
    void mergesRulesForTheSameHostKeepingTheFirstPolicyAndAddingNewSubsets() {
        DestinationRuleConfig first = new DestinationRuleConfig(
                Fixtures.meta("DestinationRule", "shop", "a", Map.of()),
                HOST,
                null,
                List.of(new Subset("v1", Map.of("version", "v1"), null)),
                List.of(),
                null);
        DestinationRuleConfig second = new DestinationRuleConfig(
                Fixtures.meta("DestinationRule", "shop", "b", Map.of("k", "v")),
                HOST,
                POLICY,
                List.of(
                        new Subset("v1", Map.of("version", "other"), null),
                        new Subset("v2", Map.of("version", "v2"), null)),
                List.of(),
                null);

        DestinationRuleConfig merged = find("shop", first, second);

        assertThat(merged.trafficPolicy()).isEqualTo(POLICY);
        assertThat(merged.meta().annotations()).containsEntry("k", "v");
        assertThat(merged.subsets()).extracting(Subset::name).containsExactly("v1", "v2");
        assertThat(merged.subsets().get(0).labels()).containsEntry("version", "v1");
    }
}
