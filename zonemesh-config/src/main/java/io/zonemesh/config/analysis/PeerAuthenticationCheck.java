package io.zonemesh.config.analysis;

import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.istio.PeerAuthenticationConfig;
import io.zonemesh.model.istio.WorkloadEntryConfig;

/**
 * ZM0208: workload-level PeerAuthentications that apply to nothing, so the mTLS mode the user wrote
 * silently does not hold: a selector matching no pod or WorkloadEntry of the policy's namespace, or
 * a selector in the root namespace ({@code istio-system}), which istiod's
 * {@code ComposePeerAuthentication} ignores.
 */
final class PeerAuthenticationCheck implements Check {
    @Override
    public void run(MeshIndex mesh, Findings findings) {
        for (PeerAuthenticationConfig pa : mesh.bundle().istio().peerAuthentications()) {
            if (pa.namespaceWide() || pa.selector() == null) {
                continue;
            }
            String ns = pa.meta().namespace();
            if (ns.equals(MeshSettings.DEFAULT_ROOT_NAMESPACE)) {
                findings.add(
                        DiagnosticCode.PEER_AUTHENTICATION_SELECTS_NOTHING,
                        pa.meta(),
                        "spec.selector",
                        "ignored: a PeerAuthentication with a selector in the root namespace " + ns
                                + " applies to no workload (expected: the workloads' own namespace, or no selector "
                                + "for a mesh-wide policy)");
                continue;
            }
            boolean selects = mesh.pods().stream()
                            .anyMatch(p -> p.namespace().equals(ns) && pa.selector().matches(p.labels()))
                    || mesh.bundle().istio().workloadEntries().stream()
                            .anyMatch(we -> matches(pa, we));
            if (!selects) {
                findings.add(
                        DiagnosticCode.PEER_AUTHENTICATION_SELECTS_NOTHING,
                        pa.meta(),
                        "spec.selector.matchLabels",
                        pa.selector().matchLabels() + " selects no pod or WorkloadEntry in namespace " + ns
                                + ", so its mode " + pa.mode() + " applies nowhere (expected: labels of the "
                                + "workloads it is meant for)");
            }
        }
    }

    private static boolean matches(PeerAuthenticationConfig pa, WorkloadEntryConfig we) {
        return we.meta().namespace().equals(pa.meta().namespace())
                && pa.selector() != null
                && pa.selector().matches(we.spec().labels());
    }
}
