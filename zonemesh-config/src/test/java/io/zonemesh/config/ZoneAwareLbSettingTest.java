package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.istio.LocalityLbSetting;
import io.zonemesh.model.istio.ZoneAwareLbSetting;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code loadBalancer.zoneAwareLbSetting} (Istio 1.31), which fabric8's model does not know yet. */
class ZoneAwareLbSettingTest {
    private static final String DR = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: r, namespace: ns}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer:
            """;
    private static final String ZA = "spec.trafficPolicy.loadBalancer.zoneAwareLbSetting";

    private static ZoneAwareLbSetting parsed(LoadResult r) {
        return r.bundle()
                .istio()
                .destinationRules()
                .get(0)
                .trafficPolicy()
                .loadBalancer()
                .zoneAwareLbSetting();
    }

    @Test
    void loadsIstiosExampleUnchanged() {
        LoadResult r = new ConfigLoader().loadString(DR + """
                      simple: LEAST_REQUEST
                      zoneAwareLbSetting:
                        enabled: true
                        minClusterSize: 3
                        failover: [{from: us-east, to: us-west}]
                        failoverPriority: [topology.istio.io/network]
                """, "za.yaml");

        assertThat(r.diagnostics()).isEmpty();
        assertThat(parsed(r))
                .isEqualTo(new ZoneAwareLbSetting(
                        true,
                        List.of(new LocalityLbSetting.Failover("us-east", "us-west")),
                        List.of("topology.istio.io/network"),
                        3L));
    }

    @Test
    void emptySettingMeansOnWithEnvoysDefaults() {
        LoadResult r = new ConfigLoader().loadString(DR + "      zoneAwareLbSetting: {}\n", "za.yaml");

        assertThat(r.diagnostics()).isEmpty();
        assertThat(parsed(r)).isEqualTo(new ZoneAwareLbSetting(null, List.of(), List.of(), null));
        assertThat(parsed(r).isDisabled()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "minClusterSize 0;              {minClusterSize: 0};                               ZM0105; " + ZA
                        + ".minClusterSize",
                "minClusterSize above uint32;   {minClusterSize: 4294967296};                      ZM0105; " + ZA
                        + ".minClusterSize",
                "minClusterSize not a number;   {minClusterSize: many};                            ZM0103; " + ZA
                        + ".minClusterSize",
                "enabled not a bool;            {enabled: maybe};                                  ZM0103; " + ZA
                        + ".enabled",
                "unknown field;                 {distribute: []};                                  ZM0102; " + ZA
                        + ".distribute",
                "failover to the same region;   {failover: [{from: a, to: a}]};                    ZM0105; " + ZA
                        + ".failover[0].to",
                "failover with a zone;          {failover: [{from: a/z1, to: b}]};                 ZM0105; " + ZA
                        + ".failover[0].from",
                "zone label in failoverPriority; {failoverPriority: [topology.kubernetes.io/zone]}; ZM0105; " + ZA
                        + ".failoverPriority[0]",
            })
    void rejectsWhatIstioRejects(String rule, String setting, String code, String path) {
        LoadResult r = new ConfigLoader().loadString(DR + "      zoneAwareLbSetting: " + setting + "\n", "za.yaml");

        assertThat(r.diagnostics().stream().filter(Diagnostic::isError).toList())
                .as(rule)
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.code()).as(d.format()).isEqualTo(code);
                    assertThat(d.fieldPath()).as(d.format()).isEqualTo(path);
                });
    }

    @Test
    void localityAndZoneAwareSettingsExcludeEachOther() {
        LoadResult r = new ConfigLoader().loadString(DR + """
                      localityLbSetting: {enabled: true}
                      zoneAwareLbSetting: {minClusterSize: 1}
                """, "za.yaml");

        assertThat(r.diagnostics().stream().filter(Diagnostic::isError).toList())
                .singleElement()
                .satisfies(d -> assertThat(d.fieldPath()).isEqualTo(ZA));
    }
}
