package io.zonemesh.xds.security;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;

/**
 * References to the workload certificate and trust bundle, exactly as istiod's
 * {@code ConstructSdsSecretConfig} ({@code pkg/model/authentication.go}): SDS over gRPC from the
 * {@code sds-grpc} cluster, which istio-agent serves to Envoy; zonemesh's proxy serves the two
 * names from its in-process certificate rotator.
 */
public final class SdsConfigs {
    /** The workload key and certificate chain (Istio's {@code SDSDefaultResourceName}). */
    public static final String DEFAULT = "default";
    /** The trust bundle the peer is verified against (Istio's {@code SDSRootResourceName}). */
    public static final String ROOTCA = "ROOTCA";
    /** The bootstrap cluster istio-agent's SDS server is reached through. */
    public static final String SDS_CLUSTER = "sds-grpc";

    private static final SdsSecretConfig DEFAULT_CONFIG = build(DEFAULT);
    private static final SdsSecretConfig ROOTCA_CONFIG = build(ROOTCA);

    private SdsConfigs() {}

    /** {@code default}. */
    public static SdsSecretConfig workloadCertificate() {
        return DEFAULT_CONFIG;
    }

    /** {@code ROOTCA}. */
    public static SdsSecretConfig rootCa() {
        return ROOTCA_CONFIG;
    }

    private static SdsSecretConfig build(String name) {
        return SdsSecretConfig.newBuilder()
                .setName(name)
                .setSdsConfig(ConfigSource.newBuilder()
                        .setApiConfigSource(ApiConfigSource.newBuilder()
                                .setApiType(ApiConfigSource.ApiType.GRPC)
                                .setTransportApiVersion(ApiVersion.V3)
                                .addGrpcServices(GrpcService.newBuilder()
                                        .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder()
                                                .setClusterName(SDS_CLUSTER)))
                                .setSetNodeOnFirstMessageOnly(true))
                        // 0s: wait for the secret as long as it takes (Istio sets it so).
                        .setInitialFetchTimeout(Duration.getDefaultInstance())
                        .setResourceApiVersion(ApiVersion.V3))
                .build();
    }
}
