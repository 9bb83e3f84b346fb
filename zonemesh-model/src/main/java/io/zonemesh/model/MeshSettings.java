package io.zonemesh.model;

import io.zonemesh.model.istio.LocalityLbSetting;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The MeshConfig parts zonemesh honours, with Istio's defaults.
 *
 * @param localityLbSetting mesh-wide locality setting; Istio's default is {@code {enabled: true}}
 * @param connectTimeout Istio's default 10s
 * @param domainSuffix {@code cluster.local}
 * @param enableAutoMtls MeshConfig {@code enableAutoMtls} (default true): a client sends Istio mutual
 *     TLS to endpoints with a sidecar unless a DestinationRule says otherwise
 * @param rootNamespace MeshConfig {@code rootNamespace} (default {@code istio-system}): a
 *     PeerAuthentication without selector there is mesh-wide
 */
public record MeshSettings(
        LocalityLbSetting localityLbSetting,
        Duration connectTimeout,
        String domainSuffix,
        String clusterName,
        String network,
        boolean enableAutoMtls,
        String rootNamespace) {

    /** Istio's {@code meshConfig.rootNamespace} default. */
    public static final String DEFAULT_ROOT_NAMESPACE = "istio-system";

    public static final MeshSettings DEFAULT = new MeshSettings(
            new LocalityLbSetting(true, List.of(), List.of(), List.of()),
            Duration.ofSeconds(10),
            "cluster.local",
            "Kubernetes",
            "");

    /** Settings with Istio's security defaults: auto mTLS on, root namespace {@code istio-system}. */
    public MeshSettings(
            LocalityLbSetting localityLbSetting,
            Duration connectTimeout,
            String domainSuffix,
            String clusterName,
            String network) {
        this(localityLbSetting, connectTimeout, domainSuffix, clusterName, network, true, DEFAULT_ROOT_NAMESPACE);
    }

    public MeshSettings {
        rootNamespace = Objects.requireNonNullElse(rootNamespace, DEFAULT_ROOT_NAMESPACE);
    }

    /** A copy with another {@code enableAutoMtls}. */
    public MeshSettings withEnableAutoMtls(boolean value) {
        return new MeshSettings(
                localityLbSetting, connectTimeout, domainSuffix, clusterName, network, value, rootNamespace);
    }
}
