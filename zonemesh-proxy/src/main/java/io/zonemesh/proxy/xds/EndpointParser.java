package io.zonemesh.proxy.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.netty.util.NetUtil;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.config.EndpointAssignment;
import io.zonemesh.proxy.config.TransportSocketMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates a ClusterLoadAssignment (EDS, or a STATIC cluster's {@code load_assignment}) and
 * flattens it into {@link HostSpec}s.
 */
final class EndpointParser {
    private EndpointParser() {}

    /**
     * Parses a {@code ClusterLoadAssignment}.
     *
     * @param path the field path of the assignment inside its resource ("" for an EDS resource)
     * @param hostNames whether addresses may be host names (STRICT_DNS) rather than IP literals
     * @return the assignment, or null when it has errors (recorded in {@code errors})
     */
    static @Nullable EndpointAssignment parse(
            ClusterLoadAssignment cla, ValidationErrors errors, String path, boolean hostNames) {
        int before = errors.count();
        List<HostSpec> hosts = new ArrayList<>();
        Map<String, Map<String, String>> socketMatches = new HashMap<>();
        Set<Integer> priorities = new TreeSet<>();
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < cla.getEndpointsCount(); i++) {
            LocalityLbEndpoints group = cla.getEndpoints(i);
            String groupPath = path + "endpoints[" + i + "]";
            priorities.add(group.getPriority());
            int localityWeight = 0;
            if (group.hasLoadBalancingWeight()) {
                localityWeight = ProtoValues.uint32(true, group.getLoadBalancingWeight(), 0);
                if (localityWeight < 1) {
                    errors.add(groupPath + ".load_balancing_weight", localityWeight, ">= 1");
                }
            }
            String locality = locality(group.getLocality());
            for (int j = 0; j < group.getLbEndpointsCount(); j++) {
                HostSpec host = host(
                        group.getLbEndpoints(j),
                        locality,
                        group.getPriority(),
                        localityWeight,
                        hostNames,
                        errors,
                        groupPath + ".lb_endpoints[" + j + "]");
                // One address:port may repeat across localities/priorities: split-horizon EDS
                // lists an east-west gateway once per remote locality it fronts (istio#56355).
                // Within one locality and priority a repeat is an error, as before.
                if (host != null) {
                    if (addresses.add(host.identity())) {
                        hosts.add(host);
                        Map<String, String> match = socketMatchMetadata(group.getLbEndpoints(j));
                        if (!match.isEmpty()) {
                            socketMatches.putIfAbsent(host.key(), match);
                        }
                    } else {
                        errors.add(
                                groupPath + ".lb_endpoints[" + j + "].endpoint.address",
                                host.key(),
                                "each address:port once per locality and priority");
                    }
                }
            }
        }
        checkContiguous(priorities, errors, path);
        int overprovisioning = EndpointAssignment.DEFAULT_OVERPROVISIONING_FACTOR;
        if (cla.hasPolicy()) {
            ClusterLoadAssignment.Policy policy = cla.getPolicy();
            if (policy.hasOverprovisioningFactor()) {
                overprovisioning = ProtoValues.uint32(true, policy.getOverprovisioningFactor(), 0);
                if (overprovisioning < 1) {
                    errors.add(path + "policy.overprovisioning_factor", overprovisioning, "> 0");
                }
            }
            if (policy.getDropOverloadsCount() > 0) {
                errors.add(
                        path + "policy.drop_overloads",
                        policy.getDropOverloadsCount() + " entries",
                        "none (not supported by zonemesh-proxy)");
            }
            if (policy.getWeightedPriorityHealth()) {
                errors.add(path + "policy.weighted_priority_health", true, "false (not supported by zonemesh-proxy)");
            }
        }
        if (cla.getNamedEndpointsCount() > 0) {
            errors.add(
                    path + "named_endpoints",
                    cla.getNamedEndpointsCount() + " entries",
                    "none (not supported by zonemesh-proxy)");
        }
        if (errors.count() > before) {
            return null;
        }
        return new EndpointAssignment(cla.getClusterName(), hosts, overprovisioning, socketMatches);
    }

    /**
     * Envoy requires priorities to be contiguous from 0 ("ClusterLoadAssignment has sparse
     * priorities" in grpc): a gap would leave a priority level with no hosts to spill into.
     */
    private static void checkContiguous(Set<Integer> priorities, ValidationErrors errors, String path) {
        int expected = 0;
        for (int priority : priorities) {
            if (priority != expected) {
                errors.add(path + "endpoints[].priority", priorities, "contiguous priorities starting at 0");
                return;
            }
            expected++;
        }
    }

    private static @Nullable HostSpec host(
            LbEndpoint lbEndpoint,
            String locality,
            int priority,
            int localityWeight,
            boolean hostNames,
            ValidationErrors errors,
            String path) {
        if (lbEndpoint.getHostIdentifierCase() != LbEndpoint.HostIdentifierCase.ENDPOINT) {
            errors.add(path, lbEndpoint.getHostIdentifierCase(), "endpoint (endpoint_name is not supported)");
            return null;
        }
        Address proto = lbEndpoint.getEndpoint().getAddress();
        if (proto.getAddressCase() != Address.AddressCase.SOCKET_ADDRESS) {
            errors.add(path + ".endpoint.address", proto.getAddressCase(), "socket_address");
            return null;
        }
        SocketAddress socket = proto.getSocketAddress();
        boolean valid = true;
        // Envoy resolves nothing for STATIC and EDS hosts: the address must be an IP literal.
        // That also keeps DNS lookups off the event loops.
        String address = socket.getAddress();
        boolean ip = NetUtil.isValidIpV4Address(address) || NetUtil.isValidIpV6Address(address);
        if (!ip && !(hostNames && isHostName(address))) {
            errors.add(
                    path + ".endpoint.address.socket_address.address",
                    ValidationErrors.quote(address),
                    hostNames ? "an IP address or a DNS name" : "an IPv4 or IPv6 address");
            valid = false;
        }
        if (socket.getPortSpecifierCase() != SocketAddress.PortSpecifierCase.PORT_VALUE
                || socket.getPortValue() < 1
                || socket.getPortValue() > 65535) {
            errors.add(path + ".endpoint.address.socket_address.port_value", socket.getPortValue(), "1..65535");
            valid = false;
        }
        int weight = 1;
        if (lbEndpoint.hasLoadBalancingWeight()) {
            weight = ProtoValues.uint32(true, lbEndpoint.getLoadBalancingWeight(), 1);
            if (weight < 1) {
                errors.add(path + ".load_balancing_weight", weight, ">= 1");
                valid = false;
            }
        }
        if (!valid) {
            return null;
        }
        return new HostSpec(
                address,
                socket.getPortValue(),
                locality,
                priority,
                localityWeight,
                weight,
                healthy(lbEndpoint.getHealthStatus()),
                workloadName(lbEndpoint));
    }

    /**
     * UNHEALTHY, DRAINING and TIMEOUT hosts are not routed to (outside panic); UNKNOWN counts as
     * healthy, as in Envoy. DEGRADED is treated as healthy: the load-balancer contract has no
     * degraded tier, and Istio never sends it.
     */
    private static boolean healthy(HealthStatus status) {
        return switch (status) {
            case UNHEALTHY, DRAINING, TIMEOUT -> false;
            default -> true;
        };
    }

    /** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. */
    static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-') {
                    return false;
                }
            }
        }
        return true;
    }

    /** The {@code region/zone/subzone} string the load balancer and metrics use. */
    static String locality(Locality locality) {
        if (locality.getRegion().isEmpty()
                && locality.getZone().isEmpty()
                && locality.getSubZone().isEmpty()) {
            return "";
        }
        return locality.getRegion() + "/" + locality.getZone() + "/" + locality.getSubZone();
    }

    /**
     * The endpoint's {@code filter_metadata["envoy.transport_socket_match"]}, values in the form of
     * {@link ProtoValues#text} (Envoy compares the protobuf values, so equal forms mean equal values).
     */
    private static Map<String, String> socketMatchMetadata(LbEndpoint lbEndpoint) {
        if (!lbEndpoint.hasMetadata()) {
            return Map.of();
        }
        Struct match = lbEndpoint.getMetadata().getFilterMetadataMap().get(TransportSocketMatch.METADATA_FILTER);
        if (match == null) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        match.getFieldsMap().forEach((key, value) -> out.put(key, ProtoValues.text(value)));
        return out;
    }

    /** XDS_SHAPES.md: {@code metadata.filter_metadata["istio"].workload}; else the endpoint hostname. */
    private static String workloadName(LbEndpoint lbEndpoint) {
        if (lbEndpoint.hasMetadata()) {
            var istio = lbEndpoint.getMetadata().getFilterMetadataMap().get("istio");
            if (istio != null) {
                Value workload = istio.getFieldsMap().get("workload");
                if (workload != null && workload.hasStringValue()) {
                    return workload.getStringValue();
                }
            }
        }
        return lbEndpoint.getEndpoint().getHostname();
    }
}
