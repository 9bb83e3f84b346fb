package io.zonemesh.proxy.xds;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.endpoint;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.config.EndpointAssignment;
import org.junit.jupiter.api.Test;

class EndpointParserTest {

    private static EndpointAssignment parse(ClusterLoadAssignment cla) {
        ValidationErrors errors = new ValidationErrors();
        EndpointAssignment assignment = EndpointParser.parse(cla, errors, "", false);
        assertThat(errors.messages()).isEmpty();
        return assignment;
    }

    private static String errors(ClusterLoadAssignment cla) {
        ValidationErrors errors = new ValidationErrors();
        assertThat(EndpointParser.parse(
                        cla, errors.forResource("ClusterLoadAssignment", cla.getClusterName()), "", false))
                .isNull();
        return errors.joined();
    }

    @Test
    void flattensLocalitiesIntoHostsWithPriorityAndWeights() {
        EndpointAssignment assignment = parse(cla(
                "c",
                locality("us-east1", "us-east1-b", 0, "10.0.0.1:5000", "10.0.0.2:5000"),
                locality("us-east1", "us-east1-c", 1, "10.0.1.1:5000")));

        assertThat(assignment.overprovisioningFactor()).isEqualTo(140);
        assertThat(assignment.hosts())
                .containsExactly(
                        new HostSpec("10.0.0.1", 5000, "us-east1/us-east1-b/", 0, 2, 1, true, ""),
                        new HostSpec("10.0.0.2", 5000, "us-east1/us-east1-b/", 0, 2, 1, true, ""),
                        new HostSpec("10.0.1.1", 5000, "us-east1/us-east1-c/", 1, 1, 1, true, ""));
    }

    @Test
    void unhealthyDrainingAndTimeoutHostsAreNotHealthyButUnknownIs() {
        LocalityLbEndpoints.Builder group = LocalityLbEndpoints.newBuilder();
        int port = 1;
        for (HealthStatus status : new HealthStatus[] {
            HealthStatus.UNKNOWN,
            HealthStatus.HEALTHY,
            HealthStatus.UNHEALTHY,
            HealthStatus.DRAINING,
            HealthStatus.TIMEOUT
        }) {
            group.addLbEndpoints(endpoint("10.0.0.1", port++).toBuilder().setHealthStatus(status));
        }

        EndpointAssignment assignment = parse(cla("c", group.build()));

        assertThat(assignment.hosts()).extracting(HostSpec::healthy).containsExactly(true, true, false, false, false);
    }

    @Test
    void workloadNameComesFromIstioMetadata() {
        LbEndpoint withName = endpoint("10.0.0.1", 80).toBuilder()
                .setMetadata(Metadata.newBuilder()
                        .putFilterMetadata(
                                "istio",
                                Struct.newBuilder()
                                        .putFields(
                                                "workload",
                                                Value.newBuilder()
                                                        .setStringValue("helloworld-v1-abc")
                                                        .build())
                                        .build()))
                .build();

        EndpointAssignment assignment = parse(cla(
                "c", LocalityLbEndpoints.newBuilder().addLbEndpoints(withName).build()));

        assertThat(assignment.hosts().get(0).name()).isEqualTo("helloworld-v1-abc");
        assertThat(assignment.hosts().get(0).locality()).isEmpty();
        assertThat(assignment.hosts().get(0).localityWeight()).isZero();
    }

    @Test
    void overprovisioningFactorComesFromThePolicy() {
        ClusterLoadAssignment cla = cla("c", locality("r", "z", 0, "10.0.0.1:80")).toBuilder()
                .setPolicy(ClusterLoadAssignment.Policy.newBuilder().setOverprovisioningFactor(UInt32Value.of(100)))
                .build();

        assertThat(parse(cla).overprovisioningFactor()).isEqualTo(100);
    }

    @Test
    void rejectsSparsePriorities() {
        String errors = errors(cla("c", locality("r", "a", 0, "10.0.0.1:80"), locality("r", "b", 2, "10.0.0.2:80")));

        assertThat(errors)
                .isEqualTo("ClusterLoadAssignment c: endpoints[].priority: [0, 2] "
                        + "(expected: contiguous priorities starting at 0)");
    }

    @Test
    void rejectsPrioritiesNotStartingAtZero() {
        assertThat(errors(cla("c", locality("r", "a", 1, "10.0.0.1:80")))).contains("[1]");
    }

    @Test
    void listsEveryBadEndpoint() {
        String errors = errors(cla(
                "c",
                LocalityLbEndpoints.newBuilder()
                        .addLbEndpoints(endpoint("not an ip", 80))
                        .addLbEndpoints(endpoint("10.0.0.1", 0))
                        .addLbEndpoints(endpoint("10.0.0.2", 80).toBuilder().setLoadBalancingWeight(UInt32Value.of(0)))
                        .addLbEndpoints(endpoint("10.0.0.3", 80))
                        .addLbEndpoints(endpoint("10.0.0.3", 80))
                        .build()));

        assertThat(errors.split("\n"))
                .containsExactly(
                        "ClusterLoadAssignment c: endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address: "
                                + "\"not an ip\" (expected: an IPv4 or IPv6 address)",
                        "ClusterLoadAssignment c: endpoints[0].lb_endpoints[1].endpoint.address.socket_address.port_value: "
                                + "0 (expected: 1..65535)",
                        "ClusterLoadAssignment c: endpoints[0].lb_endpoints[2].load_balancing_weight: 0 (expected: >= 1)",
                        "ClusterLoadAssignment c: endpoints[0].lb_endpoints[4].endpoint.address: 10.0.0.3:80 "
                                + "(expected: each address:port once per locality and priority)");
    }

    @Test
    void hostNamesFollowRfc1123() {
        assertThat(EndpointParser.isHostName("localhost")).isTrue();
        assertThat(EndpointParser.isHostName("mydb.example.com")).isTrue();
        assertThat(EndpointParser.isHostName("-bad.example.com")).isFalse();
        assertThat(EndpointParser.isHostName("a..b")).isFalse();
        assertThat(EndpointParser.isHostName("under_score")).isFalse();
    }
}
