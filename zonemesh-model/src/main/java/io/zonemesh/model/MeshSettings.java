package io.zonemesh.model;

import io.zonemesh.model.istio.LocalityLbSetting;
import java.time.Duration;
import java.util.List;

/**
 * The MeshConfig parts zonemesh honours, with Istio's defaults.
 *
 * @param localityLbSetting mesh-wide locality setting; Istio's default is {@code {enabled: true}}
 * @param connectTimeout Istio's default 10s
 * @param domainSuffix {@code cluster.local}
 */
public record MeshSettings(
        LocalityLbSetting localityLbSetting,
        Duration connectTimeout,
        String domainSuffix,
        String clusterName,
        String network) {

    public static final MeshSettings DEFAULT = new MeshSettings(
            new LocalityLbSetting(true, List.of(), List.of(), List.of()),
            Duration.ofSeconds(10),
            "cluster.local",
            "Kubernetes",
            "");
}
