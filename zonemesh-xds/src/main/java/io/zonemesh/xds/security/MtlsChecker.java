package io.zonemesh.xds.security;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.istio.ClientTls;
import io.zonemesh.model.istio.PeerAuthenticationConfig.Mode;

/**
 * Whether the client sends mutual TLS to one endpoint of a cluster, istiod's {@code mtlsChecker}
 * ({@code pilot/pkg/xds/endpoints/mtls_checker.go}): a DestinationRule's {@code tls.mode} decides
 * alone (ISTIO_MUTUAL yes, anything else no); without one, the endpoint must have a sidecar
 * ({@code tlsMode: istio}) whose own PeerAuthentication does not DISABLE mTLS on its port. Such
 * endpoints get the {@code envoy.transport_socket_match} metadata that picks the cluster's
 * {@code tlsMode-istio} transport socket.
 */
public final class MtlsChecker {
    private final PeerAuthnPolicies policies;
    private final ClientTls.@Nullable Mode destinationRuleMode;

    /**
     * @param destinationRuleMode the cluster's merged DestinationRule {@code tls.mode} (subset and
     *     port-level settings applied), or null when it sets none
     */
    public MtlsChecker(PeerAuthnPolicies policies, ClientTls.@Nullable Mode destinationRuleMode) {
        this.policies = policies;
        this.destinationRuleMode = destinationRuleMode;
    }

    public boolean mtls(Endpoint e) {
        if (destinationRuleMode != null) {
            return destinationRuleMode == ClientTls.Mode.ISTIO_MUTUAL;
        }
        if (!e.istioMutualTls()) {
            return false;
        }
        return policies.forWorkload(e.namespace(), e.labels()).modeForPort(e.workloadPort()) != Mode.DISABLE;
    }
}
