package io.zonemesh.xds;

import io.zonemesh.model.istio.GatewayConfig;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.model.istio.VirtualServiceConfig.Destination;
import io.zonemesh.model.istio.VirtualServiceConfig.Fault;
import io.zonemesh.model.istio.VirtualServiceConfig.Headers;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpMatch;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpRoute;
import io.zonemesh.model.istio.VirtualServiceConfig.Redirect;
import io.zonemesh.model.istio.VirtualServiceConfig.Retries;
import io.zonemesh.model.istio.VirtualServiceConfig.Rewrite;
import io.zonemesh.model.istio.VirtualServiceConfig.RouteDestination;
import io.zonemesh.model.istio.VirtualServiceConfig.StringMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fluent builders of VirtualService and Gateway records for tests. */
final class Rules {
    private Rules() {}

    static VirtualServiceConfig vs(
            String namespace, String name, List<String> hosts, List<String> gateways, HttpRoute... rules) {
        return new VirtualServiceConfig(
                Fixtures.meta("VirtualService", namespace, name, Map.of()), hosts, gateways, List.of(), List.of(rules));
    }

    static RouteDestination to(String host, String subset, int weight) {
        return new RouteDestination(new Destination(host, subset, null), weight, null);
    }

    static RouteDestination to(String host, String subset, Integer port, int weight, Headers headers) {
        return new RouteDestination(new Destination(host, subset, port), weight, headers);
    }

    static StringMatch exact(String value) {
        return new StringMatch(StringMatch.Kind.EXACT, value);
    }

    static StringMatch prefix(String value) {
        return new StringMatch(StringMatch.Kind.PREFIX, value);
    }

    static StringMatch regex(String value) {
        return new StringMatch(StringMatch.Kind.REGEX, value);
    }

    static Match match() {
        return new Match();
    }

    static Rule rule(RouteDestination... route) {
        return new Rule(List.of(route));
    }

    static GatewayConfig gateway(
            String namespace, String name, Map<String, String> selector, GatewayConfig.Server... servers) {
        return new GatewayConfig(Fixtures.meta("Gateway", namespace, name, Map.of()), selector, List.of(servers));
    }

    static GatewayConfig.Server http(int port, String... hosts) {
        return new GatewayConfig.Server(port, "http-" + port, "HTTP", List.of(hosts), null, null);
    }

    static GatewayConfig.Server https(int port, String portName, String... hosts) {
        return new GatewayConfig.Server(
                port,
                portName,
                "HTTPS",
                List.of(hosts),
                new GatewayConfig.ServerTls(
                        "SIMPLE",
                        "/etc/certs/" + portName + ".pem",
                        "/etc/certs/" + portName + ".key",
                        null,
                        null,
                        false),
                null);
    }

    /** An {@code http[].match[]} entry. */
    static final class Match {
        private String name;
        private StringMatch uri;
        private StringMatch method;
        private StringMatch authority;
        private final Map<String, StringMatch> headers = new LinkedHashMap<>();
        private final Map<String, StringMatch> query = new LinkedHashMap<>();
        private Integer port;
        private Map<String, String> sourceLabels = Map.of();
        private List<String> gateways = List.of();
        private String sourceNamespace;

        Match name(String v) {
            name = v;
            return this;
        }

        Match uri(StringMatch v) {
            uri = v;
            return this;
        }

        Match method(StringMatch v) {
            method = v;
            return this;
        }

        Match authority(StringMatch v) {
            authority = v;
            return this;
        }

        Match header(String n, StringMatch v) {
            headers.put(n, v);
            return this;
        }

        Match query(String n, StringMatch v) {
            query.put(n, v);
            return this;
        }

        Match port(int v) {
            port = v;
            return this;
        }

        Match sourceLabels(Map<String, String> v) {
            sourceLabels = v;
            return this;
        }

        Match gateways(String... v) {
            gateways = List.of(v);
            return this;
        }

        Match sourceNamespace(String v) {
            sourceNamespace = v;
            return this;
        }

        HttpMatch build() {
            return new HttpMatch(
                    name,
                    uri,
                    method,
                    authority,
                    null,
                    headers,
                    query,
                    port,
                    sourceLabels,
                    gateways,
                    sourceNamespace,
                    false);
        }
    }

    /** An {@code http[]} rule. */
    static final class Rule {
        private String name;
        private final List<HttpMatch> matches = new ArrayList<>();
        private final List<RouteDestination> route;
        private Redirect redirect;
        private Rewrite rewrite;
        private Duration timeout;
        private Retries retries;
        private Fault fault;
        private Destination mirror;
        private Double mirrorPercentage;
        private Headers headers;

        Rule(List<RouteDestination> route) {
            this.route = route;
        }

        Rule name(String v) {
            name = v;
            return this;
        }

        Rule when(Match... m) {
            for (Match x : m) {
                matches.add(x.build());
            }
            return this;
        }

        Rule redirect(Redirect v) {
            redirect = v;
            return this;
        }

        Rule rewrite(Rewrite v) {
            rewrite = v;
            return this;
        }

        Rule timeout(Duration v) {
            timeout = v;
            return this;
        }

        Rule retries(Retries v) {
            retries = v;
            return this;
        }

        Rule fault(Fault v) {
            fault = v;
            return this;
        }

        Rule mirror(Destination v, Double percentage) {
            mirror = v;
            mirrorPercentage = percentage;
            return this;
        }

        Rule headers(Headers v) {
            headers = v;
            return this;
        }

        HttpRoute build() {
            return new HttpRoute(
                    name,
                    matches,
                    route,
                    redirect,
                    rewrite,
                    timeout,
                    retries,
                    fault,
                    mirror,
                    mirrorPercentage,
                    headers);
        }
    }
}
