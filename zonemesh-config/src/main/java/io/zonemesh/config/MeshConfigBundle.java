package io.zonemesh.config;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.k8s.IstioOperatorConfig;
import io.zonemesh.config.k8s.K8sDeployment;
import io.zonemesh.config.k8s.K8sNamespace;
import io.zonemesh.config.k8s.K8sNode;
import io.zonemesh.config.k8s.K8sPod;
import io.zonemesh.config.k8s.K8sSecret;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.k8s.K8sServiceAccount;
import io.zonemesh.model.istio.IstioConfig;
import java.util.List;

/**
 * Everything read from a file or directory, validated and converted.
 *
 * @param secrets Secrets (v1), e.g. Istio's plug-in CA {@code cacerts}
 * @param serviceAccounts ServiceAccounts (v1)
 * @param istioOperators IstioOperator documents (cluster name, network, trust domain; see
 *     {@link ClusterSettings#resolve})
 */
public record MeshConfigBundle(
        List<K8sNamespace> namespaces,
        List<K8sNode> nodes,
        List<K8sService> services,
        List<K8sDeployment> deployments,
        List<K8sPod> pods,
        IstioConfig istio,
        List<K8sSecret> secrets,
        List<K8sServiceAccount> serviceAccounts,
        List<IstioOperatorConfig> istioOperators) {

    public static final MeshConfigBundle EMPTY =
            new MeshConfigBundle(List.of(), List.of(), List.of(), List.of(), List.of(), IstioConfig.EMPTY);

    /** A bundle without Secrets and ServiceAccounts. */
    public MeshConfigBundle(
            List<K8sNamespace> namespaces,
            List<K8sNode> nodes,
            List<K8sService> services,
            List<K8sDeployment> deployments,
            List<K8sPod> pods,
            IstioConfig istio) {
        this(namespaces, nodes, services, deployments, pods, istio, List.of(), List.of());
    }

    public MeshConfigBundle {
        namespaces = List.copyOf(namespaces);
        nodes = List.copyOf(nodes);
        services = List.copyOf(services);
        deployments = List.copyOf(deployments);
        pods = List.copyOf(pods);
        secrets = List.copyOf(secrets);
        serviceAccounts = List.copyOf(serviceAccounts);
        istioOperators = List.copyOf(istioOperators);
    }

    /** A bundle without IstioOperator documents. */
    public MeshConfigBundle(
            List<K8sNamespace> namespaces,
            List<K8sNode> nodes,
            List<K8sService> services,
            List<K8sDeployment> deployments,
            List<K8sPod> pods,
            IstioConfig istio,
            List<K8sSecret> secrets,
            List<K8sServiceAccount> serviceAccounts) {
        this(namespaces, nodes, services, deployments, pods, istio, secrets, serviceAccounts, List.of());
    }

    /** A copy with another Istio configuration (Secrets and ServiceAccounts kept). */
    public MeshConfigBundle withIstio(IstioConfig newIstio) {
        return new MeshConfigBundle(
                namespaces, nodes, services, deployments, pods, newIstio, secrets, serviceAccounts, istioOperators);
    }

    /** The Secret with this namespace and name, or null. */
    public @Nullable K8sSecret secret(String namespace, String name) {
        for (K8sSecret s : secrets) {
            if (s.namespace().equals(namespace) && s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
