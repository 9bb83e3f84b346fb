package io.zonemesh.xds.security;

import io.zonemesh.model.istio.PeerAuthenticationConfig.Mode;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The PeerAuthentication in effect for one workload, istiod's {@code MergedPeerAuthentication}: a
 * workload-wide mode and the modes of the ports its policy names. Never {@link Mode#UNSET}.
 *
 * @param perPort workload (target) port to mode
 */
public record MergedPeerAuthentication(Mode mode, Map<Integer, Mode> perPort) {
    /** No policy at all: Istio's default PERMISSIVE. */
    public static final MergedPeerAuthentication PERMISSIVE = new MergedPeerAuthentication(Mode.PERMISSIVE, Map.of());

    public MergedPeerAuthentication {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.UNSET || perPort.containsValue(Mode.UNSET)) {
            throw new IllegalArgumentException("mode: UNSET (expected: resolved to DISABLE, PERMISSIVE or STRICT)");
        }
        perPort = Collections.unmodifiableSortedMap(new TreeMap<>(perPort));
    }

    /** istiod's {@code GetMutualTLSModeForPort}: the port's own mode, else the workload's. */
    public Mode modeForPort(int workloadPort) {
        return perPort.getOrDefault(workloadPort, mode);
    }
}
