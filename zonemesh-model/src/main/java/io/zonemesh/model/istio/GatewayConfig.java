package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Map;

/** A validated {@code Gateway}. */
public record GatewayConfig(ResourceMeta meta, Map<String, String> selector, List<Server> servers) {

    public GatewayConfig {
        selector = Map.copyOf(selector);
        servers = List.copyOf(servers);
    }

    /** {@code servers[]}. */
    public record Server(
            int port,
            String portName,
            String protocol,
            List<String> hosts,
            @Nullable ServerTls tls,
            @Nullable String name) {
        public Server {
            hosts = List.copyOf(hosts);
        }
    }

    /** {@code servers[].tls}. */
    public record ServerTls(
            String mode,
            @Nullable String serverCertificate,
            @Nullable String privateKey,
            @Nullable String caCertificates,
            @Nullable String credentialName,
            boolean httpsRedirect) {}
}
