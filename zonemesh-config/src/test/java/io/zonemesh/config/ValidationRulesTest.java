package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.zonemesh.config.Diagnostic.Severity;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Istio's and Kubernetes' validation rules, one resource at a time: each case yields exactly one finding. */
class ValidationRulesTest {
    private static final String DR = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: r, namespace: ns}
            spec:
              host: reviews
            """;
    private static final String LOCALITY = DR + """
              trafficPolicy:
                outlierDetection: {consecutive5xxErrors: 1}
                loadBalancer:
                  localityLbSetting:
            """;
    private static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: r, namespace: ns}
            spec:
              hosts: [reviews]
            """;
    private static final String SE = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: e, namespace: ns}
            spec:
              hosts: [api.example.com]
              ports: [{number: 443, name: https, protocol: HTTPS}]
            """;
    private static final String LB = "spec.trafficPolicy.loadBalancer";
    private static final String LOC = LB + ".localityLbSetting";

    static Stream<Arguments> singleProblems() {
        return Stream.of(
                // DestinationRule
                Arguments.of(
                        "host required", """
                        apiVersion: networking.istio.io/v1
                        kind: DestinationRule
                        metadata: {name: r}
                        spec: {}
                        """,
                        "ZM0104", "spec.host"),
                Arguments.of(
                        "host must be a DNS name",
                        DR.replace("host: reviews", "host: Bad_Host!"),
                        "ZM0105",
                        "spec.host"),
                Arguments.of(
                        "subset names unique",
                        DR + "  subsets: [{name: v1}, {name: v1}]\n",
                        "ZM0105",
                        "spec.subsets[1].name"),
                Arguments.of(
                        "subset name non-empty",
                        DR + "  subsets: [{labels: {version: v1}}]\n",
                        "ZM0104",
                        "spec.subsets[0].name"),
                Arguments.of(
                        "simple xor consistentHash", DR + """
                          trafficPolicy:
                            loadBalancer: {simple: RANDOM, consistentHash: {useSourceIp: true}}
                        """,
                        "ZM0105", LB + ".consistentHash"),
                Arguments.of(
                        "unknown simple policy", DR + """
                          trafficPolicy: {loadBalancer: {simple: ROUND_ROBBIN}}
                        """,
                        "ZM0103", LB + ".simple"),
                Arguments.of(
                        "one hash key", DR + """
                          trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user, useSourceIp: true}}}
                        """,
                        "ZM0105", LB + ".consistentHash.useSourceIp"),
                Arguments.of(
                        "cookie needs a ttl", DR + """
                          trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: user}}}}
                        """,
                        "ZM0104", LB + ".consistentHash.httpCookie.ttl"),
                Arguments.of(
                        "maglev table size prime", DR + """
                          trafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, maglev: {tableSize: 1000}}}}
                        """,
                        "ZM0105", LB + ".consistentHash.maglev.tableSize"),
                Arguments.of("empty traffic policy", DR + "  trafficPolicy: {}\n", "ZM0104", "spec.trafficPolicy"),
                Arguments.of(
                        "max ejection percent above 100",
                        DR + """
                          trafficPolicy: {outlierDetection: {maxEjectionPercent: 101}}
                        """,
                        "ZM0105",
                        "spec.trafficPolicy.outlierDetection.maxEjectionPercent"),
                Arguments.of(
                        "min health percent below 0",
                        DR + """
                          trafficPolicy: {outlierDetection: {minHealthPercent: -1}}
                        """,
                        "ZM0105",
                        "spec.trafficPolicy.outlierDetection.minHealthPercent"),
                Arguments.of(
                        "negative consecutive errors",
                        DR + """
                          trafficPolicy: {outlierDetection: {consecutiveGatewayErrors: -2}}
                        """,
                        "ZM0105",
                        "spec.trafficPolicy.outlierDetection.consecutiveGatewayErrors"),
                Arguments.of(
                        "duration under 1ms",
                        DR + """
                          trafficPolicy: {outlierDetection: {baseEjectionTime: 500us}}
                        """,
                        "ZM0105",
                        "spec.trafficPolicy.outlierDetection.baseEjectionTime"),
                Arguments.of(
                        "local origin failures need split",
                        DR + """
                          trafficPolicy: {outlierDetection: {consecutiveLocalOriginFailures: 3}}
                        """,
                        "ZM0105",
                        "spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures"),
                Arguments.of(
                        "negative max connections",
                        DR + """
                          trafficPolicy: {connectionPool: {tcp: {maxConnections: -1}}}
                        """,
                        "ZM0105",
                        "spec.trafficPolicy.connectionPool.tcp.maxConnections"),
                Arguments.of("empty connection pool", DR + """
                          trafficPolicy: {connectionPool: {}}
                        """, "ZM0104", "spec.trafficPolicy.connectionPool"),
                Arguments.of(
                        "client protocol with upgrade",
                        DR + """
                          trafficPolicy: {connectionPool: {http: {h2UpgradePolicy: UPGRADE, useClientProtocol: true}}}
                        """,
                        "ZM0105",
                        "spec.trafficPolicy.connectionPool.http.useClientProtocol"),
                Arguments.of(
                        "mutual TLS needs a client certificate",
                        DR + """
                          trafficPolicy: {tls: {mode: MUTUAL, privateKey: /etc/key.pem}}
                        """,
                        "ZM0104",
                        "spec.trafficPolicy.tls.clientCertificate"),
                Arguments.of(
                        "port level policy needs a port",
                        DR + """
                          trafficPolicy: {portLevelSettings: [{loadBalancer: {simple: RANDOM}}]}
                        """,
                        "ZM0104",
                        "spec.trafficPolicy.portLevelSettings[0].port.number"),
                Arguments.of(
                        "exportTo mixes * with namespaces", DR + "  exportTo: ['*', ns2]\n", "ZM0105", "spec.exportTo"),
                // localityLbSetting (LOCALITY.md §1.4-1.6)
                Arguments.of(
                        "distribute weight above 100", LOCALITY + """
                                distribute: [{from: a/*, to: {"a/*": 101}}]
                        """,
                        "ZM0105", LOC + ".distribute[0].to[\"a/*\"]"),
                Arguments.of(
                        "distribute weight zero", LOCALITY + """
                                distribute: [{from: a/*, to: {"a/*": 100, "b/*": 0}}]
                        """,
                        "ZM0105", LOC + ".distribute[0].to[\"b/*\"]"),
                Arguments.of(
                        "wildcard in the middle", LOCALITY + """
                                distribute: [{from: "a/*/c", to: {"a/*": 100}}]
                        """,
                        "ZM0105", LOC + ".distribute[0].from"),
                Arguments.of(
                        "partial wildcard", LOCALITY + """
                                distribute: [{from: a/*, to: {"a/z*": 100}}]
                        """,
                        "ZM0105", LOC + ".distribute[0].to[\"a/z*\"]"),
                Arguments.of(
                        "two wildcards", LOCALITY + """
                                distribute: [{from: "*/*", to: {"a": 100}}]
                        """,
                        "ZM0105", LOC + ".distribute[0].from"),
                Arguments.of(
                        "empty locality segment", LOCALITY + """
                                distribute: [{from: a//c, to: {"a": 100}}]
                        """,
                        "ZM0105", LOC + ".distribute[0].from"),
                Arguments.of(
                        "overlapping to keys", LOCALITY + """
                                distribute: [{from: a/*, to: {"a/*": 50, "a/z1": 50}}]
                        """,
                        "ZM0105", LOC + ".distribute[0].to[\"a/z1\"]"),
                Arguments.of(
                        "overlapping from keys", LOCALITY + """
                                distribute: [{from: a, to: {"a": 100}}, {from: a/z1, to: {"a": 100}}]
                        """,
                        "ZM0105", LOC + ".distribute[1].from"),
                Arguments.of(
                        "failover to the same region", LOCALITY + """
                                failover: [{from: a, to: a}]
                        """,
                        "ZM0105", LOC + ".failover[0].to"),
                Arguments.of(
                        "failover with wildcard", LOCALITY + """
                                failover: [{from: a, to: "*"}]
                        """,
                        "ZM0105", LOC + ".failover[0].to"),
                Arguments.of(
                        "failover region required", LOCALITY + """
                                failover: [{from: a}]
                        """,
                        "ZM0104", LOC + ".failover[0].to"),
                Arguments.of(
                        "failoverPriority entry empty", LOCALITY + """
                                failoverPriority: [topology.istio.io/network, ""]
                        """,
                        "ZM0104", LOC + ".failoverPriority[1]"),
                Arguments.of(
                        "failoverPriority value empty", LOCALITY + """
                                failoverPriority: ["version="]
                        """,
                        "ZM0105", LOC + ".failoverPriority[0]"),
                Arguments.of(
                        "failoverPriority bad key", LOCALITY + """
                                failoverPriority: ["not a label"]
                        """,
                        "ZM0105", LOC + ".failoverPriority[0]"),
                // VirtualService
                Arguments.of(
                        "hosts required",
                        VS.replace(
                                "  hosts: [reviews]\n", "  http: [{route: [{destination: " + "{host: reviews}}]}]\n"),
                        "ZM0104",
                        "spec.hosts"),
                Arguments.of("routes required", VS, "ZM0104", "spec.http"),
                Arguments.of(
                        "mesh-bound wildcard host",
                        VS.replace("[reviews]", "['*']") + "  http: [{route: [{destination: {host: reviews}}]}]\n",
                        "ZM0105",
                        "spec.hosts[0]"),
                Arguments.of("route weight above 100", VS + """
                          http: [{route: [{destination: {host: reviews}, weight: 120}]}]
                        """, "ZM0105", "spec.http[0].route[0].weight"),
                Arguments.of("route weights must total 100", VS + """
                          http:
                          - route:
                            - {destination: {host: reviews, subset: v1}, weight: 60}
                            - {destination: {host: reviews, subset: v2}, weight: 60}
                        """, "ZM0105", "spec.http[0].route"),
                Arguments.of("destination host required", VS + """
                          http: [{route: [{destination: {subset: v1}}]}]
                        """, "ZM0104", "spec.http[0].route[0].destination.host"),
                Arguments.of("destination required", VS + """
                          http: [{route: [{weight: 100}]}]
                        """, "ZM0104", "spec.http[0].route[0].destination"),
                Arguments.of("route and redirect", VS + """
                          http: [{route: [{destination: {host: reviews}}], redirect: {uri: /new}}]
                        """, "ZM0105", "spec.http[0].redirect"),
                Arguments.of(
                        "header regex must compile", VS + """
                          http: [{match: [{headers: {x-user: {regex: "(a"}}}], route: [{destination: {host: reviews}}]}]
                        """, "ZM0105", "spec.http[0].match[0].headers.x-user.regex"),
                Arguments.of("RE2 has no look-ahead", VS + """
                          http: [{match: [{uri: {regex: "/a(?=b)"}}], route: [{destination: {host: reviews}}]}]
                        """, "ZM0105", "spec.http[0].match[0].uri.regex"),
                Arguments.of("empty uri match", VS + """
                          http: [{match: [{uri: {}}], route: [{destination: {host: reviews}}]}]
                        """, "ZM0104", "spec.http[0].match[0].uri"),
                Arguments.of(
                        "delay percentage above 100", VS + """
                          http:
                          - route: [{destination: {host: reviews}}]
                            fault: {delay: {fixedDelay: 1s, percentage: {value: 100.5}}}
                        """, "ZM0105", "spec.http[0].fault.delay.percentage.value"),
                Arguments.of("abort status below 200", VS + """
                          http:
                          - route: [{destination: {host: reviews}}]
                            fault: {abort: {httpStatus: 199, percentage: {value: 1}}}
                        """, "ZM0105", "spec.http[0].fault.abort.httpStatus"),
                Arguments.of("negative retry attempts", VS + """
                          http: [{route: [{destination: {host: reviews}}], retries: {attempts: -1}}]
                        """, "ZM0105", "spec.http[0].retries.attempts"),
                Arguments.of("unknown retryOn policy", VS + """
                          http: [{route: [{destination: {host: reviews}}], retries: {attempts: 2, retryOn: "5xx,oops"}}]
                        """, "ZM0105", "spec.http[0].retries.retryOn"),
                Arguments.of("bad timeout", VS + """
                          http: [{route: [{destination: {host: reviews}}], timeout: 3 sec}]
                        """, "ZM0105", "spec.http[0].timeout"),
                Arguments.of("redirect code must be 3xx", VS + """
                          http: [{redirect: {uri: /new, redirectCode: 200}}]
                        """, "ZM0105", "spec.http[0].redirect.redirectCode"),
                // ServiceEntry and WorkloadEntry
                Arguments.of(
                        "service entry hosts required",
                        SE.replace("  hosts: [api.example.com]\n", ""),
                        "ZM0104",
                        "spec.hosts"),
                Arguments.of(
                        "service entry port numbers unique",
                        SE.replace(
                                "[{number: 443, name: https, protocol: " + "HTTPS}]",
                                "[{number: 443, name: https}, {number: 443, name: tls}]"),
                        "ZM0105",
                        "spec.ports[1].number"),
                Arguments.of(
                        "service entry port name required",
                        SE.replace("name: https, ", ""),
                        "ZM0104",
                        "spec.ports[0].name"),
                Arguments.of(
                        "service entry protocol",
                        SE.replace("protocol: HTTPS", "protocol: FTP"),
                        "ZM0105",
                        "spec.ports[0].protocol"),
                Arguments.of("static resolution needs IP endpoints", SE + """
                          resolution: STATIC
                          endpoints: [{address: db.internal}]
                        """, "ZM0105", "spec.endpoints[0].address"),
                Arguments.of("resolution NONE takes no endpoints", SE + """
                          resolution: NONE
                          endpoints: [{address: 10.0.0.1}]
                        """, "ZM0105", "spec.endpoints"),
                Arguments.of(
                        "DNS without endpoints resolves hosts, so no wildcard",
                        SE.replace("api.example.com", "'*.example.com'") + "  resolution: DNS\n",
                        "ZM0105",
                        "spec.hosts[0]"),
                Arguments.of("endpoint ports name service ports", SE + """
                          resolution: STATIC
                          endpoints: [{address: 10.0.0.1, ports: {http: 8080}}]
                        """, "ZM0105", "spec.endpoints[0].ports.http"),
                Arguments.of("location enum", SE + "  location: MESH_NEARBY\n", "ZM0103", "spec.location"),
                Arguments.of(
                        "workload entry address required", """
                        apiVersion: networking.istio.io/v1
                        kind: WorkloadEntry
                        metadata: {name: vm, namespace: ns}
                        spec: {labels: {app: vm}}
                        """,
                        "ZM0104", "spec.address"),
                // Gateway and Sidecar
                Arguments.of(
                        "gateway servers required", """
                        apiVersion: networking.istio.io/v1
                        kind: Gateway
                        metadata: {name: gw, namespace: ns}
                        spec: {selector: {istio: ingressgateway}}
                        """,
                        "ZM0104", "spec.servers"),
                Arguments.of(
                        "gateway server port number", """
                        apiVersion: networking.istio.io/v1
                        kind: Gateway
                        metadata: {name: gw, namespace: ns}
                        spec:
                          servers: [{port: {number: 70000, name: http, protocol: HTTP}, hosts: ["*"]}]
                        """,
                        "ZM0105", "spec.servers[0].port.number"),
                Arguments.of(
                        "gateway server hosts required", """
                        apiVersion: networking.istio.io/v1
                        kind: Gateway
                        metadata: {name: gw, namespace: ns}
                        spec:
                          servers: [{port: {number: 80, name: http, protocol: HTTP}}]
                        """,
                        "ZM0104", "spec.servers[0].hosts"),
                Arguments.of(
                        "gateway TLS mode", """
                        apiVersion: networking.istio.io/v1
                        kind: Gateway
                        metadata: {name: gw, namespace: ns}
                        spec:
                          servers:
                          - port: {number: 443, name: https, protocol: HTTPS}
                            hosts: ["*"]
                            tls: {mode: STRICT, credentialName: cert}
                        """,
                        "ZM0103", "spec.servers[0].tls.mode"),
                Arguments.of(
                        "HTTPS server needs TLS", """
                        apiVersion: networking.istio.io/v1
                        kind: Gateway
                        metadata: {name: gw, namespace: ns}
                        spec:
                          servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: ["*"]}]
                        """,
                        "ZM0104", "spec.servers[0].tls"),
                Arguments.of(
                        "sidecar host needs a namespace", """
                        apiVersion: networking.istio.io/v1
                        kind: Sidecar
                        metadata: {name: default, namespace: ns}
                        spec: {egress: [{hosts: [reviews.ns.svc.cluster.local]}]}
                        """,
                        "ZM0105", "spec.egress[0].hosts[0]"),
                Arguments.of(
                        "sidecar short host names", """
                        apiVersion: networking.istio.io/v1
                        kind: Sidecar
                        metadata: {name: default, namespace: ns}
                        spec: {egress: [{hosts: ["ns/reviews"]}]}
                        """,
                        "ZM0105", "spec.egress[0].hosts[0]"),
                Arguments.of(
                        "sidecar namespace syntax", """
                        apiVersion: networking.istio.io/v1
                        kind: Sidecar
                        metadata: {name: default, namespace: ns}
                        spec: {egress: [{hosts: ["Bad_NS/*"]}]}
                        """,
                        "ZM0105", "spec.egress[0].hosts[0]"),
                // Kubernetes
                Arguments.of(
                        "multi-port service needs port names", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: s, namespace: ns}
                        spec: {selector: {app: s}, ports: [{port: 80, name: http}, {port: 81}]}
                        """,
                        "ZM0104", "spec.ports[1].name"),
                Arguments.of(
                        "service port range", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: s, namespace: ns}
                        spec: {ports: [{port: 0}]}
                        """,
                        "ZM0105", "spec.ports[0].port"),
                Arguments.of(
                        "service names are DNS-1035 labels", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: 1st, namespace: ns}
                        spec: {ports: [{port: 80}]}
                        """,
                        "ZM0105", "metadata.name"),
                Arguments.of(
                        "deployment selector must match its template", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: d, namespace: ns}
                        spec:
                          selector: {matchLabels: {app: d}}
                          template:
                            metadata: {labels: {app: e}}
                            spec: {containers: [{name: c, image: i}]}
                        """,
                        "ZM0105", "spec.selector.matchLabels.app"),
                Arguments.of(
                        "deployment replicas non-negative", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: d, namespace: ns}
                        spec:
                          replicas: -1
                          selector: {matchLabels: {app: d}}
                          template:
                            metadata: {labels: {app: d}}
                            spec: {containers: [{name: c, image: i}]}
                        """,
                        "ZM0105", "spec.replicas"),
                Arguments.of(
                        "label values are strings", """
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: n, labels: {version: 1}}
                        """,
                        "ZM0103", "metadata.labels.version"),
                Arguments.of(
                        "label value syntax", """
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: n, labels: {team: "a b"}}
                        """,
                        "ZM0105", "metadata.labels.team"),
                Arguments.of("document must be a mapping", "- a\n- b\n", "ZM0103", ""),
                Arguments.of(
                        "kind must be a string",
                        "apiVersion: v1\nkind: [Service]\nmetadata: {name: s}\n",
                        "ZM0103",
                        "kind"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleProblems")
    void rejectsWithExactlyOneProblem(String rule, String yaml, String code, String path) {
        LoadResult r = new ConfigLoader().loadString(yaml, "rules.yaml");

        List<Diagnostic> errors =
                r.diagnostics().stream().filter(Diagnostic::isError).toList();
        assertThat(errors).as(rule).singleElement().satisfies(d -> {
            assertThat(d.code()).as(d.format()).isEqualTo(code);
            assertThat(d.fieldPath()).as(d.format()).isEqualTo(path);
            assertThat(d.source()).isEqualTo("rules.yaml");
            assertThat(d.document()).isEqualTo(1);
        });
        assertThat(r.hasErrors()).isTrue();
    }

    @Test
    void ringHashMinimumRingSizeIsReadDespiteTheGeneratedModelLosingIt() {
        LoadResult r = new ConfigLoader().loadString(DR + """
                  trafficPolicy:
                    loadBalancer: {consistentHash: {httpHeaderName: x-user, ringHash: {minimumRingSize: 4096}}}
                """, "ring.yaml");

        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.bundle()
                        .istio()
                        .destinationRules()
                        .get(0)
                        .trafficPolicy()
                        .loadBalancer()
                        .consistentHash()
                        .minimumRingSize())
                .isEqualTo(4096L);
    }

    @Test
    void ringHashFieldsAreStillChecked() {
        LoadResult r = new ConfigLoader().loadString(DR + """
                  trafficPolicy:
                    loadBalancer:
                      consistentHash: {useSourceIp: true, ringHash: {minimumRingSize: big, maximumRingSize: 9}}
                """, "ring.yaml");

        assertThat(r.diagnostics())
                .extracting(Diagnostic::code, Diagnostic::fieldPath)
                .containsExactlyInAnyOrder(
                        tuple("ZM0103", LB + ".consistentHash.ringHash.minimumRingSize"),
                        tuple("ZM0102", LB + ".consistentHash.ringHash.maximumRingSize"));
    }

    @Test
    void failoverWithoutOutlierDetectionIsOnlyAWarningAsInIstio() {
        LoadResult r = new ConfigLoader().loadString(DR + """
                  trafficPolicy:
                    loadBalancer:
                      localityLbSetting:
                        failover: [{from: us-east1, to: us-west1}]
                """, "warn.yaml");

        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.code()).isEqualTo("ZM0107");
            assertThat(d.fieldPath()).isEqualTo(LOC);
            assertThat(d.message()).startsWith("outlier detection policy must be provided for failover");
        });
        assertThat(r.bundle().istio().destinationRules()).hasSize(1);
    }

    @Test
    void subsetInheritsTheTopLevelOutlierDetectionForFailover() {
        LoadResult r = new ConfigLoader().loadString(DR + """
                  trafficPolicy:
                    outlierDetection: {consecutive5xxErrors: 2}
                  subsets:
                  - name: v1
                    labels: {version: v1}
                    trafficPolicy:
                      loadBalancer:
                        localityLbSetting:
                          failoverPriority: [topology.istio.io/network]
                """, "inherit.yaml");

        assertThat(r.diagnostics()).isEmpty();
    }

    @Test
    void validIstioFieldsZonemeshIgnoresAreWarnedAbout() {
        LoadResult r = new ConfigLoader().loadString(VS + """
                  http: [{route: [{destination: {host: reviews}}], corsPolicy: {allowOrigins: [{exact: a.com}]}}]
                  tcp: [{route: [{destination: {host: reviews}}]}]
                """, "unsupported.yaml");

        assertThat(r.diagnostics())
                .extracting(Diagnostic::code, Diagnostic::fieldPath)
                .containsExactlyInAnyOrder(tuple("ZM0108", "spec.http[0].corsPolicy"), tuple("ZM0108", "spec.tcp"));
        assertThat(r.diagnostics()).allMatch(d -> d.severity() == Severity.WARNING);
        assertThat(r.bundle().istio().virtualServices()).hasSize(1);
    }

    @Test
    void faultWithoutPercentageIsWarnedAboutBecauseItNeverFires() {
        LoadResult r = new ConfigLoader().loadString(VS + """
                  http: [{route: [{destination: {host: reviews}}], fault: {abort: {httpStatus: 503}}}]
                """, "fault.yaml");

        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0107");
            assertThat(d.fieldPath()).isEqualTo("spec.http[0].fault.abort.percentage");
        });
        assertThat(r.bundle()
                        .istio()
                        .virtualServices()
                        .get(0)
                        .http()
                        .get(0)
                        .fault()
                        .abort()
                        .percentage())
                .isZero();
    }
}
