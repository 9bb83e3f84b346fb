package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.istio.IstioConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Istio serves networking.istio.io at v1alpha3, v1beta1 and v1 with one schema; all three are read. */
class ApiVersionsTest {
    private static final String DESTINATION_RULE = """
            kind: DestinationRule
            metadata: {name: reviews, namespace: shop}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer: {simple: LEAST_REQUEST}
                outlierDetection: {consecutive5xxErrors: 3}
            """;
    private static final String VIRTUAL_SERVICE = """
            kind: VirtualService
            metadata: {name: reviews, namespace: shop}
            spec:
              hosts: [reviews]
              http:
              - route: [{destination: {host: reviews, port: {number: 9080}}}]
            """;
    private static final String SERVICE_ENTRY = """
            kind: ServiceEntry
            metadata: {name: db, namespace: shop}
            spec:
              hosts: [db.example.com]
              ports: [{number: 5432, name: tcp-db, protocol: TCP}]
              resolution: STATIC
              endpoints: [{address: 10.0.0.7, locality: us-east1/us-east1-b}]
            """;
    private static final String WORKLOAD_ENTRY = """
            kind: WorkloadEntry
            metadata: {name: vm-1, namespace: shop}
            spec:
              address: 127.0.0.1
              labels: {app: reviews}
              ports: {http: 19080}
              locality: us-east1
            """;
    private static final String GATEWAY = """
            kind: Gateway
            metadata: {name: ingress, namespace: shop}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["shop/*"]}]
            """;
    private static final String SIDECAR = """
            kind: Sidecar
            metadata: {name: default, namespace: shop}
            spec:
              egress: [{hosts: ["./*", "istio-system/*"]}]
            """;

    static Stream<Arguments> kindsAndVersions() {
        List<Arguments> out = new ArrayList<>();
        List<Object[]> kinds = List.of(
                new Object[] {DESTINATION_RULE, (Function<IstioConfig, List<?>>) IstioConfig::destinationRules},
                new Object[] {VIRTUAL_SERVICE, (Function<IstioConfig, List<?>>) IstioConfig::virtualServices},
                new Object[] {SERVICE_ENTRY, (Function<IstioConfig, List<?>>) IstioConfig::serviceEntries},
                new Object[] {WORKLOAD_ENTRY, (Function<IstioConfig, List<?>>) IstioConfig::workloadEntries},
                new Object[] {GATEWAY, (Function<IstioConfig, List<?>>) IstioConfig::gateways},
                new Object[] {SIDECAR, (Function<IstioConfig, List<?>>) IstioConfig::sidecars});
        for (String version : List.of("v1alpha3", "v1beta1", "v1")) {
            for (Object[] k : kinds) {
                out.add(Arguments.of(version, k[0], k[1]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsAndVersions")
    void everyIstioKindIsReadAtEveryServedVersion(String version, String body, Function<IstioConfig, List<?>> list) {
        LoadResult r = new ConfigLoader()
                .loadString("apiVersion: networking.istio.io/" + version + "\n" + body, "versions.yaml");

        assertThat(r.diagnostics()).isEmpty();
        assertThat(list.apply(r.bundle().istio())).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kindsAndVersions")
    void unknownFieldsAreCaughtAtEveryVersion(String version, String body, Function<IstioConfig, List<?>> list) {
        LoadResult r = new ConfigLoader()
                .loadString(
                        "apiVersion: networking.istio.io/" + version + "\n" + body + "  extraField: 1\n",
                        "versions.yaml");

        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0102");
            assertThat(d.fieldPath()).isEqualTo("spec.extraField");
        });
        assertThat(list.apply(r.bundle().istio())).isEmpty();
    }
}
