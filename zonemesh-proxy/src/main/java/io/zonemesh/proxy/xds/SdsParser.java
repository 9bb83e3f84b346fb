package io.zonemesh.proxy.xds;

import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.zonemesh.proxy.config.MeshTls;

/**
 * The SDS references the proxy serves itself, exactly as Istio's {@code ConstructSdsSecretConfig}
 * emits them: {@code default} (workload certificate) and {@code ROOTCA} (trust bundle) from an
 * {@code api_config_source} of type GRPC on the Envoy cluster {@code sds-grpc}. The proxy plays
 * istio-agent's part for them from its own certificate rotator; any other name or source would
 * need a real SDS server and is rejected.
 */
final class SdsParser {
    private SdsParser() {}

    /** Whether the context takes any of its secrets from SDS. */
    static boolean usesSds(CommonTlsContext tls) {
        return tls.getTlsCertificateSdsSecretConfigsCount() > 0
                || tls.hasValidationContextSdsSecretConfig()
                || tls.hasCombinedValidationContext();
    }

    /**
     * Checks the context's SDS certificate ({@code default}, exactly one, no file certificates)
     * and SDS validation ({@code ROOTCA}, plain or in a combined context), recording errors at
     * {@code common}. The default validation context is the caller's to read.
     */
    static void check(CommonTlsContext tls, ValidationErrors errors, String common) {
        if (tls.getTlsCertificatesCount() > 0) {
            errors.add(common + ".tls_certificates", tls.getTlsCertificatesCount() + " certificates",
                    "none beside SDS (certificates come from SDS " + MeshTls.WORKLOAD_SECRET + ")");
        }
        if (tls.getTlsCertificateSdsSecretConfigsCount() != 1) {
            errors.add(common + ".tls_certificate_sds_secret_configs",
                    tls.getTlsCertificateSdsSecretConfigsCount() + " secrets",
                    "exactly one, SDS " + ValidationErrors.quote(MeshTls.WORKLOAD_SECRET));
        } else {
            secret(tls.getTlsCertificateSdsSecretConfigs(0), MeshTls.WORKLOAD_SECRET, errors,
                    common + ".tls_certificate_sds_secret_configs[0]");
        }
        if (tls.hasCombinedValidationContext()) {
            CommonTlsContext.CombinedCertificateValidationContext combined = tls.getCombinedValidationContext();
            if (!combined.hasValidationContextSdsSecretConfig()) {
                errors.add(common + ".combined_validation_context.validation_context_sds_secret_config", "unset",
                        "SDS " + ValidationErrors.quote(MeshTls.ROOT_SECRET));
            } else {
                secret(combined.getValidationContextSdsSecretConfig(), MeshTls.ROOT_SECRET, errors,
                        common + ".combined_validation_context.validation_context_sds_secret_config");
            }
        } else if (tls.hasValidationContextSdsSecretConfig()) {
            secret(tls.getValidationContextSdsSecretConfig(), MeshTls.ROOT_SECRET, errors,
                    common + ".validation_context_sds_secret_config");
        } else {
            errors.add(common + ".combined_validation_context", "unset",
                    "SDS " + ValidationErrors.quote(MeshTls.ROOT_SECRET)
                            + " with SDS " + ValidationErrors.quote(MeshTls.WORKLOAD_SECRET));
        }
    }

    private static void secret(SdsSecretConfig config, String expectedName, ValidationErrors errors, String path) {
        if (!config.getName().equals(expectedName)) {
            errors.add(path + ".name", ValidationErrors.quote(config.getName()),
                    ValidationErrors.quote(expectedName) + " (zonemesh-proxy serves only SDS "
                            + MeshTls.WORKLOAD_SECRET + " and " + MeshTls.ROOT_SECRET + ")");
        }
        ConfigSource source = config.getSdsConfig();
        ApiConfigSource api = source.getApiConfigSource();
        boolean fromAgent = config.hasSdsConfig()
                && source.getConfigSourceSpecifierCase() == ConfigSource.ConfigSourceSpecifierCase.API_CONFIG_SOURCE
                && api.getApiType() == ApiConfigSource.ApiType.GRPC
                && api.getGrpcServicesCount() == 1
                && api.getGrpcServices(0).getTargetSpecifierCase() == GrpcService.TargetSpecifierCase.ENVOY_GRPC
                && api.getGrpcServices(0).getEnvoyGrpc().getClusterName().equals(MeshTls.SDS_CLUSTER);
        if (!fromAgent) {
            errors.add(path + ".sds_config",
                    config.hasSdsConfig() ? describe(source) : "unset",
                    "api_config_source {api_type: GRPC, grpc_services: [{envoy_grpc: {cluster_name: "
                            + MeshTls.SDS_CLUSTER + "}}]} (the proxy's own SDS, as istio-agent's)");
        }
    }

    private static String describe(ConfigSource source) {
        if (source.getConfigSourceSpecifierCase() != ConfigSource.ConfigSourceSpecifierCase.API_CONFIG_SOURCE) {
            return source.getConfigSourceSpecifierCase().toString();
        }
        ApiConfigSource api = source.getApiConfigSource();
        StringBuilder out = new StringBuilder("api_config_source ").append(api.getApiType());
        for (GrpcService service : api.getGrpcServicesList()) {
            out.append(' ').append(service.getTargetSpecifierCase() == GrpcService.TargetSpecifierCase.ENVOY_GRPC
                    ? "envoy_grpc " + service.getEnvoyGrpc().getClusterName()
                    : service.getTargetSpecifierCase().toString());
        }
        return out.toString();
    }
}
