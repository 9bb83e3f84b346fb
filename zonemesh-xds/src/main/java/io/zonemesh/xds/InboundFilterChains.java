package io.zonemesh.xds;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.istio.PeerAuthenticationConfig.Mode;
import io.zonemesh.xds.security.MergedPeerAuthentication;
import io.zonemesh.xds.security.MtlsTransportSockets;
import io.zonemesh.xds.security.PeerAuthnPolicies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The filter chains of {@code virtualInbound} by PeerAuthentication mode (docs/XDS_SHAPES.md
 * "mTLS"), as istiod's sidecar inbound listener ({@code listener_inbound.go} with
 * {@code pilot/pkg/security/authn}): STRICT gives only a TLS chain ({@code transport_protocol:
 * tls}, client certificate required), DISABLE only a plaintext one ({@code raw_buffer}), PERMISSIVE
 * both, told apart by the {@code tls_inspector}. Application ports whose workload port has its own
 * {@code portLevelMtls} get chains matching their {@code destination_port}; all other ports share
 * chains without one, in the workload-level mode. Envoy picks the most specific destination port
 * first, so a STRICT port refuses plaintext even when the workload is PERMISSIVE.
 */
final class InboundFilterChains {
    /** Istio's name for the inbound chains of ports without their own chain (passthrough HTTP). */
    static final String CATCH_ALL = "virtualInbound-catchall-http";
    private static final String TLS = "tls";
    private static final String RAW_BUFFER = "raw_buffer";

    private InboundFilterChains() {}

    /** Chains for the proxy's ports, each ending in {@code hcm}: per-port chains by port, then the shared ones. */
    static List<FilterChain> of(MeshState state, ProxyIdentity proxy, Filter hcm) {
        MergedPeerAuthentication policy =
                PeerAuthnPolicies.of(state).forWorkload(proxy.namespace(), proxy.labels());
        // Only a port-level setting needs the workload ports, which cost a pass over all endpoints.
        Map<Integer, Integer> workloadPorts = policy.perPort().isEmpty() ? Map.of() : workloadPorts(state, proxy);
        List<FilterChain> out = new ArrayList<>();
        for (int port : policy.perPort().isEmpty() ? List.<Integer>of() : proxy.appPorts().keySet()) {
            int workloadPort = workloadPorts.getOrDefault(port, port);
            Mode mode = policy.perPort().get(workloadPort);
            if (mode != null) {
                add(out, "inbound_0.0.0.0_" + port, port, mode, hcm);
            }
        }
        add(out, CATCH_ALL, null, policy.mode(), hcm);
        return out;
    }

    private static void add(List<FilterChain> out, String name, @Nullable Integer port, Mode mode, Filter hcm) {
        if (mode != Mode.DISABLE) {
            out.add(FilterChain.newBuilder()
                    .setName(name)
                    .setFilterChainMatch(match(port, TLS))
                    .setTransportSocket(MtlsTransportSockets.downstream())
                    .addFilters(hcm)
                    .build());
        }
        if (mode != Mode.STRICT) {
            out.add(FilterChain.newBuilder()
                    .setName(name)
                    .setFilterChainMatch(match(port, RAW_BUFFER))
                    .addFilters(hcm)
                    .build());
        }
    }

    private static FilterChainMatch match(@Nullable Integer port, String transportProtocol) {
        FilterChainMatch.Builder match = FilterChainMatch.newBuilder().setTransportProtocol(transportProtocol);
        if (port != null) {
            match.setDestinationPort(UInt32Value.of(port));
        }
        return match.build();
    }

    /**
     * The workload (target) port behind each inbound port of the proxy, from its own endpoints:
     * {@code portLevelMtls} names workload ports, while a proxy also receives on its service ports
     * (a service port 80 with target port 8080 gives both 80 and 8080 the setting of 8080). A port
     * that is itself a workload port maps to itself.
     */
    static Map<Integer, Integer> workloadPorts(MeshState state, ProxyIdentity proxy) {
        Set<Integer> targets = new HashSet<>();
        Map<Integer, Integer> byServicePort = new HashMap<>();
        for (List<Endpoint> endpoints : state.endpointsByHost().values()) {
            for (Endpoint e : endpoints) {
                if (e.workloadName().equals(proxy.podName()) && e.namespace().equals(proxy.namespace())) {
                    targets.add(e.workloadPort());
                    byServicePort.merge(e.servicePort(), e.workloadPort(), Math::min);
                }
            }
        }
        Map<Integer, Integer> out = new HashMap<>();
        for (int port : proxy.appPorts().keySet()) {
            out.put(port, targets.contains(port) ? port : byServicePort.getOrDefault(port, port));
        }
        return out;
    }
}
