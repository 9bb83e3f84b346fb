package io.zonemesh.xds;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.istio.GatewayConfig;
import io.zonemesh.model.istio.WorkloadSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Gateway servers one gateway proxy serves, merged by port as Istio's {@code MergeGateways}.
 *
 * <p>A Gateway applies to a {@code ROUTER} proxy whose labels carry all of its {@code selector}
 * (an empty selector selects every gateway proxy), whatever the namespaces: Istio's default
 * {@code PILOT_SCOPE_GATEWAY_TO_NAMESPACE=false}. Servers are taken in snapshot order (Istio: creation
 * time). Several plain HTTP servers on one port share the route configuration {@code http.<port>};
 * HTTPS servers terminating TLS ({@code SIMPLE}, {@code MUTUAL}) get one filter chain and route
 * configuration each, told apart by SNI; TLS {@code AUTO_PASSTHROUGH} servers get one chain per
 * mesh service, port and subset ({@link AutoPassthrough}). A server that conflicts with the port's first server
 * (plain text and TLS, or two protocols), repeats a TLS host on the port, or uses what zonemesh does
 * not serve (TLS PASSTHROUGH by VirtualService, TCP, {@code credentialName}) is left out with a warning.
 */
final class GatewayServers {
    /**
     * One server to serve, with its gateway ({@code namespace/name}) and route configuration.
     * {@code passthrough}: a TLS {@code AUTO_PASSTHROUGH} server (east-west gateway), which has no
     * routes and counts as TLS ({@code https}) for the port rules.
     */
    record Bound(
            String gatewayName, GatewayConfig.Server server, String routeName, boolean https, boolean passthrough) {
        Bound(String gatewayName, GatewayConfig.Server server, String routeName, boolean https) {
            this(gatewayName, server, routeName, https, false);
        }
    }

    /** The servers of one port; all plain HTTP or all HTTPS. */
    record Port(int number, boolean https, List<Bound> servers) {
        Port {
            servers = List.copyOf(servers);
        }
    }

    private GatewayServers() {}

    /** Ports in ascending order. */
    static List<Port> of(OutboundScope scope) {
        Map<Integer, List<Bound>> byPort = new TreeMap<>();
        Map<Integer, Protocol> plaintextProtocol = new TreeMap<>();
        Map<Integer, Set<String>> tlsHosts = new TreeMap<>();
        for (GatewayConfig gw : scope.state.istio().gateways()) {
            if (!new WorkloadSelector(gw.selector()).matches(scope.proxy.labels())) {
                continue;
            }
            String gatewayName = gw.meta().namespace() + "/" + gw.meta().name();
            for (int i = 0; i < gw.servers().size(); i++) {
                GatewayConfig.Server s = gw.servers().get(i);
                String where = gw.meta().ref() + " servers[" + i + "] (port " + s.port() + ")";
                Bound bound = bind(scope, gatewayName, gw, s, where);
                if (bound == null) {
                    continue;
                }
                List<Bound> existing = byPort.get(s.port());
                Protocol protocol = Protocol.fromName(s.protocol());
                if (existing != null && !existing.get(0).https()) {
                    if (bound.https() || protocol != plaintextProtocol.get(s.port())) {
                        scope.warn(where + ": left out: port " + s.port() + " is already served as "
                                + plaintextProtocol.get(s.port()) + " by an earlier server");
                        continue;
                    }
                } else if (existing != null && !bound.https()) {
                    scope.warn(where + ": left out: port " + s.port() + " is already served with TLS by an earlier "
                            + "server");
                    continue;
                }
                if (bound.https()
                        && !claimTlsHosts(tlsHosts.computeIfAbsent(s.port(), p -> new HashSet<>()), s.hosts())) {
                    scope.warn(where + ": left out: a host is already served with TLS on port " + s.port());
                    continue;
                }
                if (!bound.https()) {
                    plaintextProtocol.putIfAbsent(s.port(), protocol);
                }
                byPort.computeIfAbsent(s.port(), p -> new ArrayList<>()).add(bound);
            }
        }
        List<Port> out = new ArrayList<>();
        byPort.forEach((port, servers) -> out.add(new Port(port, servers.get(0).https(), servers)));
        return out;
    }

    /**
     * The server's hosts with Istio's {@code sanitizeServerHostNamespace}: in {@code namespace/host},
     * namespace {@code .} is the Gateway's own, namespace {@code *} is any (the plain host is kept),
     * and {@code *} for both means every host.
     */
    static List<String> hosts(GatewayConfig.Server s, String gatewayNamespace) {
        List<String> out = new ArrayList<>();
        for (String h : s.hosts()) {
            int slash = h.indexOf('/');
            if (slash < 0) {
                out.add(h);
                continue;
            }
            String ns = h.substring(0, slash);
            String name = h.substring(slash + 1);
            if (ns.equals("*") && name.equals("*")) {
                return List.of("*");
            }
            out.add(ns.equals(".") ? gatewayNamespace + "/" + name : ns.equals("*") ? name : h);
        }
        return out;
    }

    private static @Nullable Bound bind(
            OutboundScope scope, String gatewayName, GatewayConfig gw, GatewayConfig.Server s, String where) {
        Protocol protocol = Protocol.fromName(s.protocol());
        GatewayConfig.Server sanitized = new GatewayConfig.Server(
                s.port(), s.portName(), s.protocol(), hosts(s, gw.meta().namespace()), s.tls(), s.name());
        if (protocol.isHttp()) {
            return new Bound(gatewayName, sanitized, "http." + s.port(), false);
        }
        GatewayConfig.ServerTls tls = s.tls();
        String mode = tls == null ? "" : tls.mode().toUpperCase(Locale.ROOT);
        if (mode.equals(AutoPassthrough.MODE) && (protocol == Protocol.TLS || protocol == Protocol.HTTPS)) {
            // istiod builds a non-terminating HTTPS server like a TLS one (IsHTTPSServerWithTLSTermination).
            return new Bound(gatewayName, sanitized, "", true, true);
        }
        if (tls == null || protocol != Protocol.HTTPS || !(mode.equals("SIMPLE") || mode.equals("MUTUAL"))) {
            scope.warn(where + ": left out: only HTTP servers and HTTPS servers terminating TLS (SIMPLE, MUTUAL) "
                    + "are served, not " + s.protocol() + (mode.isEmpty() ? "" : " " + mode));
            return null;
        }
        if (tls.serverCertificate() == null || tls.privateKey() == null) {
            scope.warn(where + ": left out: TLS needs serverCertificate and privateKey files (credentialName is "
                    + "not supported)");
            return null;
        }
        if (mode.equals("MUTUAL") && tls.caCertificates() == null) {
            scope.warn(where + ": left out: MUTUAL TLS needs caCertificates to verify clients");
            return null;
        }
        // Istio's gatewayRDSRouteName: each terminating HTTPS server has its own routes.
        String routeName = "https." + s.port() + "." + s.portName() + "."
                + gw.meta().name() + "." + gw.meta().namespace();
        return new Bound(gatewayName, sanitized, routeName, true);
    }

    private static boolean claimTlsHosts(Set<String> known, List<String> hosts) {
        for (String h : hosts) {
            if (known.contains(h)) {
                return false;
            }
        }
        known.addAll(hosts);
        return true;
    }
}
