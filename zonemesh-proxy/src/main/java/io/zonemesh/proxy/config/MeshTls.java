package io.zonemesh.proxy.config;

import java.util.List;

/**
 * A TLS context whose certificate is the SDS secret {@code default} (the proxy's workload
 * certificate and key) and whose trust is the SDS secret {@code ROOTCA} (the mesh roots), both
 * from the {@code sds-grpc} source as Istio's {@code ConstructSdsSecretConfig} emits them. The
 * proxy serves both names from its own certificate rotator, as istio-agent serves Envoy; the
 * context is built from whatever certificate is current when a connection is made.
 *
 * @param alpnProtocols {@code common_tls_context.alpn_protocols} to offer (client) or select
 *     from (server)
 */
public record MeshTls(List<String> alpnProtocols) {
    /** SDS resource name of the workload certificate (Istio's {@code WorkloadKeyCertResourceName}). */
    public static final String WORKLOAD_SECRET = "default";
    /** SDS resource name of the trust bundle (Istio's {@code RootCertReqResourceName}). */
    public static final String ROOT_SECRET = "ROOTCA";
    /** The SDS cluster istio-agent serves on (Istio's {@code SDSClusterName}). */
    public static final String SDS_CLUSTER = "sds-grpc";

    public MeshTls {
        alpnProtocols = List.copyOf(alpnProtocols);
    }
}
