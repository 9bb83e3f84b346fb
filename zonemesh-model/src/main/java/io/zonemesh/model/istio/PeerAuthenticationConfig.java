package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A validated {@code PeerAuthentication} ({@code security.istio.io} v1 and v1beta1): which mutual
 * TLS mode a workload's inbound ports accept.
 *
 * @param selector the workload selector; null or empty labels for a mesh-wide (root namespace) or
 *     namespace-wide policy
 * @param mode {@code mtls.mode}; {@link Mode#UNSET} when {@code mtls} or its mode is absent
 * @param portLevelMtls workload port to mode (only with a selector, as Istio's validation requires)
 * @param creationTimestamp {@code metadata.creationTimestamp}, null when the file has none: the
 *     oldest of two competing policies wins, as in istiod ({@code ComposePeerAuthentication})
 */
public record PeerAuthenticationConfig(
        ResourceMeta meta,
        @Nullable WorkloadSelector selector,
        Mode mode,
        Map<Integer, Mode> portLevelMtls,
        @Nullable Instant creationTimestamp) {

    /** Istio's {@code PeerAuthentication.MutualTLS.Mode}. */
    public enum Mode {
        /** Inherit from the parent (mesh, then namespace); PERMISSIVE when nothing is set. */
        UNSET,
        DISABLE,
        PERMISSIVE,
        STRICT
    }

    public PeerAuthenticationConfig {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(mode, "mode");
        portLevelMtls = Collections.unmodifiableSortedMap(new TreeMap<>(portLevelMtls));
    }

    /** No selector (or one without labels): a mesh-wide policy in the root namespace, else namespace-wide. */
    public boolean namespaceWide() {
        return selector == null || selector.matchLabels().isEmpty();
    }
}
