package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.config.placement.PodPlanner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every Kubernetes kind loads: the workloads zonemesh runs (StatefulSet, ReplicaSet, DaemonSet),
 * ServiceAccounts as the pods' identity, and anything else accepted with one INFO; inside
 * {@code *.istio.io} unknown kinds and fields stay errors.
 */
class KubernetesKindsTest {
    private final ConfigLoader loader = new ConfigLoader();

    private static List<Diagnostic> errors(LoadResult r) {
        return r.diagnostics().stream().filter(Diagnostic::isError).toList();
    }

    @Test
    void kindsZonemeshDoesNotUseGetOneInfoNamingThem() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: Secret
                metadata: {name: s1}
                data: {key: dmFsdWU=}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c1}
                data: {a: b}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c2}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web}
                spec: {rules: [{host: example.com}]}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: bookinfo-details}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: istio-system}
                spec: {mtls: {mode: STRICT}}
                """, "cluster.yaml");

        assertThat(errors(r)).isEmpty();
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Diagnostic.Severity.INFO);
            assertThat(d.code()).isEqualTo("ZM0212");
            assertThat(d.message())
                    .contains("v1 ConfigMap (2)", "networking.k8s.io/v1 Ingress (1)")
                    .doesNotContain("ServiceAccount", "Secret", "PeerAuthentication");
        });
        // Read, not ignored: `zonemesh up` takes cacerts from Secrets, mTLS modes from PeerAuthentications.
        assertThat(r.bundle().secrets()).singleElement().satisfies(s -> assertThat(s.get("key"))
                .asString()
                .isEqualTo("value"));
        assertThat(r.bundle().serviceAccounts()).singleElement().satisfies(sa -> assertThat(
                        sa.meta().ref())
                .isEqualTo("ServiceAccount/default/bookinfo-details"));
        assertThat(r.bundle().istio().peerAuthentications()).hasSize(1);
    }

    @Test
    void unknownIstioKindsAndFieldsStayErrors() {
        LoadResult r = loader.loadString("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRules
                metadata: {name: typo}
                spec: {host: a}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default}
                spec: {mtls: {mode: STRICT}, portLevelMTLS: {}}
                """, "istio.yaml");

        assertThat(errors(r)).extracting(Diagnostic::code).containsExactlyInAnyOrder("ZM0101", "ZM0102");
    }

    @Test
    void statefulSetsReplicaSetsAndDaemonSetsRunLikeDeployments() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: Node
                metadata: {name: n1, labels: {topology.kubernetes.io/zone: za}}
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: n2, labels: {topology.kubernetes.io/zone: zb}}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  serviceName: db
                  replicas: 3
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec: {containers: [{name: db, image: img}]}
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: img}]}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec: {containers: [{name: agent, image: img}]}
                """, "workloads.yaml");
        assertThat(errors(r)).isEmpty();

        List<PodInstance> pods = PodPlanner.plan(r.bundle());

        assertThat(pods)
                .filteredOn(p -> p.owner().equals("db"))
                .extracting(PodInstance::name)
                .containsExactly("db-0", "db-1", "db-2");
        assertThat(pods)
                .filteredOn(p -> p.owner().equals("web"))
                .hasSize(2)
                .allSatisfy(p -> assertThat(p.name()).matches("web-[a-z0-9]{5}"));
        assertThat(pods)
                .filteredOn(p -> p.owner().equals("agent"))
                .extracting(PodInstance::nodeName)
                .containsExactly("n1", "n2");
    }
}
