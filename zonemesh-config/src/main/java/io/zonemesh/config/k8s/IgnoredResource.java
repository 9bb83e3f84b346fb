package io.zonemesh.config.k8s;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.Objects;

/**
 * A resource zonemesh accepts but does not apply, so that users' YAML loads unchanged: ConfigMaps,
 * Ingresses, any kind of an API group outside {@code *.istio.io}, and Istio's authorization,
 * request authentication and telemetry policies (read strictly, not applied yet).
 *
 * @param reason why it has no effect, shown once per kind by the loader; null for kinds whose
 *     content zonemesh reads elsewhere
 */
public record IgnoredResource(
        ResourceMeta meta, String apiVersion, @Nullable String reason) implements K8sMeta {
    public IgnoredResource {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(apiVersion, "apiVersion");
    }
}
