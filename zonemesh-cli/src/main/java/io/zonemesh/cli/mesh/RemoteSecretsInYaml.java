package io.zonemesh.cli.mesh;

import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sSecret;
import io.zonemesh.kube.discovery.RemoteSecretController;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Istio's remote secrets read from a cluster's YAML in {@code zonemesh up --cluster}: Secrets
 * labelled {@code istio/multiCluster: "true"} in the cluster's system namespace (istiod's secret
 * controller watches its own namespace: {@code istio-system}, or zonemesh's {@code
 * zonemesh-system}), one cluster ID per data key. The kubeconfig values are not used: the named
 * cluster runs in the same process. As istiod, a key naming the cluster itself is ignored.
 */
final class RemoteSecretsInYaml {
    private RemoteSecretsInYaml() {}

    /**
     * The clusters of {@code known} that {@code bundle}'s remote secrets name, sorted; {@code
     * warnings} receives one line per key naming no known cluster.
     */
    static List<String> clusters(MeshConfigBundle bundle, String self, Set<String> known, Consumer<String> warnings) {
        Set<String> out = new TreeSet<>();
        for (K8sSecret s : bundle.secrets()) {
            if (!MeshIdentity.CACERTS_NAMESPACES.contains(s.namespace())
                    || !"true".equals(s.meta().labels().get(RemoteSecretController.MULTI_CLUSTER_SECRET_LABEL))) {
                continue;
            }
            for (String cluster : s.data().keySet()) {
                if (cluster.equals(self)) {
                    continue;
                }
                if (known.contains(cluster)) {
                    out.add(cluster);
                } else {
                    warnings.accept("cluster " + self + ": Secret " + s.namespace() + "/" + s.name() + " names cluster "
                            + cluster + ", which is not one of --cluster " + known + "; its endpoints are not "
                            + "discovered");
                }
            }
        }
        return new ArrayList<>(out);
    }
}
