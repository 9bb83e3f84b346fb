package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.Gateway;
import io.fabric8.istio.api.api.networking.v1alpha3.Server;
import io.fabric8.istio.api.api.networking.v1alpha3.ServerTLSSettings;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.GatewayConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A {@code Gateway} spec, validated as Istio's {@code ValidateGateway}. */
final class GatewayParser {
    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final Set<String> TLS_PROTOCOLS = Set.of("HTTPS", "TLS");

    private GatewayParser() {}

    static GatewayConfig parse(@Nullable Gateway in, ParseContext ctx) {
        Gateway spec = in == null ? new Gateway() : in;
        List<Server> serversIn = Values.list(spec.getServers());
        if (serversIn.isEmpty()) {
            ctx.missing(SPEC.field("servers"), "at least one server");
        }
        List<GatewayConfig.Server> servers = new ArrayList<>();
        Set<String> portNames = new HashSet<>();
        for (int i = 0; i < serversIn.size(); i++) {
            if (serversIn.get(i) != null) {
                GatewayConfig.Server s =
                        server(serversIn.get(i), SPEC.field("servers").index(i), portNames, ctx);
                if (s != null) {
                    servers.add(s);
                }
            }
        }
        var selector = Values.strings(spec.getSelector());
        Labels.validate(selector, SPEC.field("selector"), ctx);
        return new GatewayConfig(ctx.meta(), selector, servers);
    }

    private static GatewayConfig.@Nullable Server server(
            Server in, FieldPath path, Set<String> portNames, ParseContext ctx) {
        boolean ok = true;
        Integer number = null;
        String portName = "";
        String protocol = "";
        FieldPath pp = path.field("port");
        if (in.getPort() == null) {
            ctx.missing(pp, "a port with number, name and protocol");
            ok = false;
        } else {
            number = ctx.port(pp.field("number"), in.getPort().getNumber());
            if (in.getPort().getNumber() == null) {
                ctx.missing(pp.field("number"), "a port number 1..65535");
            }
            portName = in.getPort().getName() == null ? "" : in.getPort().getName();
            if (ctx.require(pp.field("name"), in.getPort().getName(), "a port name such as http")
                    && !portNames.add(portName)) {
                ctx.invalid(pp.field("name"), '"' + portName + "\" (expected: a port name no other server uses)");
            }
            protocol = in.getPort().getProtocol() == null ? "" : in.getPort().getProtocol();
            String protocolProblem = Names.protocol(protocol);
            if (ctx.require(pp.field("protocol"), in.getPort().getProtocol(), "a protocol such as HTTP or HTTPS")
                    && protocolProblem != null) {
                ctx.invalid(pp.field("protocol"), protocolProblem);
            }
            ok = number != null;
        }
        List<String> hosts = Values.strings(in.getHosts());
        if (hosts.isEmpty()) {
            ctx.missing(path.field("hosts"), "at least one host, e.g. \"*\" or \"ns/host\"");
        }
        for (int i = 0; i < hosts.size(); i++) {
            String problem = HostSyntax.namespaceSlashHost(hosts.get(i), true);
            if (problem != null) {
                ctx.invalid(path.field("hosts").index(i), problem);
            }
        }
        if (in.getBind() != null || in.getDefaultEndpoint() != null) {
            ctx.unsupported(
                    in.getBind() != null ? path.field("bind") : path.field("defaultEndpoint"),
                    "gateway bind addresses and default endpoints");
        }
        GatewayConfig.ServerTls tls = tls(in.getTls(), protocol, path.field("tls"), ctx);
        return ok && number != null
                ? new GatewayConfig.Server(number, portName, protocol, hosts, tls, in.getName())
                : null;
    }

    private static GatewayConfig.@Nullable ServerTls tls(
            @Nullable ServerTLSSettings in, String protocol, FieldPath path, ParseContext ctx) {
        boolean tlsPort = TLS_PROTOCOLS.contains(protocol.toUpperCase(Locale.ROOT));
        if (in == null) {
            if (tlsPort) {
                ctx.missing(path, "TLS settings for an " + protocol + " server");
            }
            return null;
        }
        String mode = in.getMode() == null ? "SIMPLE" : in.getMode().name();
        if (!tlsPort && !(Values.isTrue(in.getHttpsRedirect()) && in.getMode() == null)) {
            ctx.invalid(
                    path,
                    "TLS settings on a " + protocol + " server (expected: protocol HTTPS or TLS, or only "
                            + "httpsRedirect)");
        }
        boolean credential =
                in.getCredentialName() != null && !in.getCredentialName().isEmpty();
        if ((mode.equals("PASSTHROUGH") || mode.equals("AUTO_PASSTHROUGH"))
                && (credential
                        || in.getServerCertificate() != null
                        || in.getPrivateKey() != null
                        || in.getCaCertificates() != null)) {
            // Istio's validateTLSOptions: a warning kept for backwards compatibility.
            ctx.warn(path.field("mode"), mode + " mode does not use certificates, they will be ignored");
        }
        if (tlsPort && (mode.equals("SIMPLE") || mode.equals("MUTUAL")) && !credential) {
            ctx.require(
                    path.field("serverCertificate"),
                    in.getServerCertificate(),
                    "a server certificate or credentialName for " + mode + " TLS");
            ctx.require(
                    path.field("privateKey"),
                    in.getPrivateKey(),
                    "a private key or credentialName for " + mode + " TLS");
            if (mode.equals("MUTUAL")) {
                ctx.require(
                        path.field("caCertificates"),
                        in.getCaCertificates(),
                        "CA certificates or credentialName to verify clients for MUTUAL TLS");
            }
        }
        return new GatewayConfig.ServerTls(
                mode,
                in.getServerCertificate(),
                in.getPrivateKey(),
                in.getCaCertificates(),
                in.getCredentialName(),
                Values.isTrue(in.getHttpsRedirect()));
    }
}
