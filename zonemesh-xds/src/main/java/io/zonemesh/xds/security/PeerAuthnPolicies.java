package io.zonemesh.xds.security;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.istio.PeerAuthenticationConfig;
import io.zonemesh.model.istio.PeerAuthenticationConfig.Mode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PeerAuthentications of a mesh snapshot, resolved as istiod does
 * ({@code pilot/pkg/model/authentication.go} and {@code pilot/pkg/security/authn/policy_applier.go}
 * {@code ComposePeerAuthentication}): a policy without selector in the root namespace is mesh-wide,
 * one without selector elsewhere namespace-wide, one with a selector (outside the root namespace)
 * applies to the workloads whose labels include it. Of two competing policies at one level the
 * oldest wins (creation time, then name, then namespace; a policy without
 * {@code creationTimestamp} counts as the oldest, as Go's zero time does). {@code UNSET} inherits
 * from the level above, and PERMISSIVE applies where nothing is set. Immutable.
 */
public final class PeerAuthnPolicies {
    private static final Comparator<PeerAuthenticationConfig> OLDEST_FIRST = Comparator.comparing(
                    PeerAuthenticationConfig::creationTimestamp, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .thenComparing(p -> p.meta().name())
            .thenComparing(p -> p.meta().namespace());

    private final String rootNamespace;
    private final List<PeerAuthenticationConfig> policies;
    /** The mesh-wide mode (UNSET there means PERMISSIVE), or null without a mesh-wide policy. */
    private final @Nullable Mode globalMode;
    private final Map<String, Mode> namespaceModes = new HashMap<>();

    private PeerAuthnPolicies(String rootNamespace, List<PeerAuthenticationConfig> all) {
        this.rootNamespace = rootNamespace;
        List<PeerAuthenticationConfig> sorted = new ArrayList<>(all);
        sorted.sort(OLDEST_FIRST);
        // Only the oldest namespace- or mesh-wide policy of a namespace counts (addPeerAuthentication).
        Set<String> seen = new HashSet<>();
        List<PeerAuthenticationConfig> kept = new ArrayList<>();
        Mode global = null;
        Map<String, Mode> found = new HashMap<>();
        for (PeerAuthenticationConfig p : sorted) {
            if (p.namespaceWide()) {
                if (!seen.add(p.meta().namespace())) {
                    continue;
                }
                if (p.meta().namespace().equals(rootNamespace)) {
                    global = p.mode() == Mode.UNSET ? Mode.PERMISSIVE : p.mode();
                } else {
                    found.put(p.meta().namespace(), p.mode());
                }
            }
            kept.add(p);
        }
        this.globalMode = global;
        Mode inherited = global == null ? Mode.PERMISSIVE : global;
        found.forEach((ns, mode) -> namespaceModes.put(ns, mode == Mode.UNSET ? inherited : mode));
        this.policies = List.copyOf(kept);
    }

    /** The policies of {@code state}, with its mesh settings' root namespace. */
    public static PeerAuthnPolicies of(MeshState state) {
        return new PeerAuthnPolicies(state.settings().rootNamespace(), state.istio().peerAuthentications());
    }

    /** Policies under {@code rootNamespace}. */
    public static PeerAuthnPolicies of(String rootNamespace, List<PeerAuthenticationConfig> policies) {
        return new PeerAuthnPolicies(rootNamespace, policies);
    }

    /**
     * istiod's {@code GetNamespaceMutualTLSMode}: the namespace-wide mode of {@code namespace} (UNSET
     * resolved), else the mesh-wide one; null (istiod's MTLSUnknown) when neither exists.
     */
    public @Nullable Mode namespaceMode(String namespace) {
        Mode mode = namespaceModes.get(namespace);
        return mode != null ? mode : globalMode;
    }

    /** The policy in effect for a workload with these labels in {@code namespace}. */
    public MergedPeerAuthentication forWorkload(String namespace, Map<String, String> labels) {
        if (policies.isEmpty()) {
            return MergedPeerAuthentication.PERMISSIVE;
        }
        PeerAuthenticationConfig mesh = null;
        PeerAuthenticationConfig ns = null;
        PeerAuthenticationConfig workload = null;
        // policies is sorted oldest first, so the first candidate at each level is the one istiod keeps.
        for (PeerAuthenticationConfig p : policies) {
            String pns = p.meta().namespace();
            if (!pns.equals(namespace) && !pns.equals(rootNamespace)) {
                continue;
            }
            if (p.namespaceWide()) {
                if (pns.equals(rootNamespace)) {
                    mesh = mesh == null ? p : mesh;
                } else {
                    ns = ns == null ? p : ns;
                }
            } else if (!pns.equals(rootNamespace) && p.selector() != null && p.selector().matches(labels)) {
                // A policy with a selector in the root namespace is not mesh-wide: istiod ignores it.
                workload = workload == null ? p : workload;
            }
        }
        // Mesh, namespace, workload: each set mode overrides the one above; UNSET inherits it.
        Mode mode = override(override(override(Mode.PERMISSIVE, mesh), ns), workload);
        Map<Integer, Mode> perPort = new HashMap<>();
        if (workload != null) {
            Mode inherited = mode;
            workload.portLevelMtls().forEach((port, m) -> perPort.put(port, m == Mode.UNSET ? inherited : m));
        }
        return new MergedPeerAuthentication(mode, perPort);
    }

    private static Mode override(Mode parent, @Nullable PeerAuthenticationConfig policy) {
        return policy == null || policy.mode() == Mode.UNSET ? parent : policy.mode();
    }
}
