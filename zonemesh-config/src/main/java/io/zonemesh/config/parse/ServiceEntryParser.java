package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntry;
import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.fabric8.istio.api.api.networking.v1alpha3.WorkloadEntry;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.ServiceEntryConfig;
import io.zonemesh.model.istio.ServiceEntryConfig.Location;
import io.zonemesh.model.istio.ServiceEntryConfig.Resolution;
import io.zonemesh.model.istio.WorkloadEntryConfig;
import io.zonemesh.model.istio.WorkloadSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A {@code ServiceEntry} spec, validated as Istio's {@code ValidateServiceEntry}. */
final class ServiceEntryParser {
    private static final FieldPath SPEC = FieldPath.of("spec");

    private ServiceEntryParser() {}

    static ServiceEntryConfig parse(@Nullable ServiceEntry in, ParseContext ctx) {
        ServiceEntry spec = in == null ? new ServiceEntry() : in;
        Resolution resolution = spec.getResolution() == null
                ? Resolution.NONE
                : Resolution.valueOf(spec.getResolution().name());
        Location location = spec.getLocation() == null
                ? Location.MESH_EXTERNAL
                : Location.valueOf(spec.getLocation().name());
        List<String> hosts = hosts(spec, resolution, ctx);
        List<String> addresses = Values.strings(spec.getAddresses());
        for (int i = 0; i < addresses.size(); i++) {
            if (!Names.isIpOrCidr(addresses.get(i))) {
                ctx.invalid(
                        SPEC.field("addresses").index(i),
                        '"' + addresses.get(i) + "\" (expected: an IP address or CIDR block)");
            }
        }
        List<ServiceEntryConfig.Port> ports = new ArrayList<>();
        Set<String> portNames = new LinkedHashSet<>();
        Set<Integer> numbers = new HashSet<>();
        List<ServicePort> portsIn = Values.list(spec.getPorts());
        for (int i = 0; i < portsIn.size(); i++) {
            if (portsIn.get(i) != null) {
                ServiceEntryConfig.Port p =
                        port(portsIn.get(i), SPEC.field("ports").index(i), portNames, numbers, ctx);
                if (p != null) {
                    ports.add(p);
                }
            }
        }
        List<WorkloadEntryConfig.Spec> endpoints = endpoints(spec, resolution, portNames, ctx);
        WorkloadSelector selector = null;
        if (spec.getWorkloadSelector() != null) {
            if (!endpoints.isEmpty()) {
                ctx.invalid(
                        SPEC.field("workloadSelector"),
                        "set together with endpoints (expected: only one of " + "workloadSelector and endpoints)");
            }
            var labels = Values.strings(spec.getWorkloadSelector().getLabels());
            Labels.validate(labels, SPEC.field("workloadSelector").field("labels"), ctx);
            selector = new WorkloadSelector(labels);
        }
        return new ServiceEntryConfig(
                ctx.meta(),
                hosts,
                addresses,
                ports,
                location,
                resolution,
                endpoints,
                selector,
                ExportTo.parse(spec.getExportTo(), SPEC.field("exportTo"), ctx),
                Values.strings(spec.getSubjectAltNames()));
    }

    private static List<String> hosts(ServiceEntry spec, Resolution resolution, ParseContext ctx) {
        List<String> hosts = Values.strings(spec.getHosts());
        if (hosts.isEmpty()) {
            ctx.missing(SPEC.field("hosts"), "at least one host");
        }
        boolean dnsFromHosts = (resolution == Resolution.DNS || resolution == Resolution.DNS_ROUND_ROBIN)
                && Values.list(spec.getEndpoints()).isEmpty();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            FieldPath hp = SPEC.field("hosts").index(i);
            String problem = host.equals("*")
                    ? "\"*\" (expected: a host name; a ServiceEntry cannot match every " + "host)"
                    : Names.wildcardDomain(host);
            if (problem == null && dnsFromHosts && host.startsWith("*")) {
                // With DNS resolution and no endpoints, the hosts themselves are resolved.
                problem = '"' + host + "\" (expected: a resolvable name; wildcard hosts need endpoints when "
                        + "resolution is " + resolution + ")";
            }
            if (problem != null) {
                ctx.invalid(hp, problem);
            }
        }
        return hosts;
    }

    private static ServiceEntryConfig.@Nullable Port port(
            ServicePort in, FieldPath path, Set<String> names, Set<Integer> numbers, ParseContext ctx) {
        Integer number = ctx.port(path.field("number"), in.getNumber());
        if (in.getNumber() == null) {
            ctx.missing(path.field("number"), "a port number 1..65535");
        } else if (number != null && !numbers.add(number)) {
            ctx.invalid(
                    path.field("number"),
                    number + " (expected: a port number no other port of this " + "ServiceEntry uses)");
            number = null;
        }
        String name = in.getName();
        if (ctx.require(path.field("name"), name, "a port name such as http") && !names.add(name)) {
            ctx.invalid(
                    path.field("name"), '"' + name + "\" (expected: a name no other port of this ServiceEntry has)");
            name = null;
        }
        String protocol = in.getProtocol() == null ? "TCP" : in.getProtocol();
        String problem = Names.protocol(protocol);
        if (problem != null) {
            ctx.invalid(path.field("protocol"), problem);
        }
        Integer target = in.getTargetPort() == null ? null : ctx.port(path.field("targetPort"), in.getTargetPort());
        return number == null || name == null || name.isEmpty()
                ? null
                : new ServiceEntryConfig.Port(number, protocol, name, target);
    }

    /**
     * Endpoints must suit the resolution: none for NONE, IP addresses for STATIC, names or IPs
     * for DNS, and at most one for DNS_ROUND_ROBIN (Istio's rules).
     */
    private static List<WorkloadEntryConfig.Spec> endpoints(
            ServiceEntry spec, Resolution resolution, Set<String> portNames, ParseContext ctx) {
        List<WorkloadEntryConfig.Spec> out = new ArrayList<>();
        List<WorkloadEntry> in = Values.list(spec.getEndpoints());
        FieldPath path = SPEC.field("endpoints");
        if (resolution == Resolution.NONE && !in.isEmpty()) {
            ctx.invalid(path, in.size() + " endpoints (expected: none when resolution is NONE)");
        }
        if (resolution == Resolution.DNS_ROUND_ROBIN && in.size() > 1) {
            ctx.invalid(path, in.size() + " endpoints (expected: at most one when resolution is DNS_ROUND_ROBIN)");
        }
        if (resolution == Resolution.STATIC && in.isEmpty() && spec.getWorkloadSelector() == null) {
            ctx.warn(path, "no endpoints or workloadSelector for resolution STATIC: the service has no endpoints");
        }
        for (int i = 0; i < in.size(); i++) {
            WorkloadEntry e = in.get(i);
            if (e == null) {
                continue;
            }
            FieldPath ep = path.index(i);
            WorkloadEntryConfig.Spec s = WorkloadEntrySpecs.parse(e, ep, portNames, ctx);
            if (s == null) {
                continue;
            }
            if (resolution == Resolution.STATIC
                    && !s.address().startsWith("unix://")
                    && !Names.isIp(s.address())
                    && !s.address().isEmpty()) {
                ctx.invalid(
                        ep.field("address"),
                        '"' + s.address() + "\" (expected: an IP address when resolution is "
                                + "STATIC; use resolution DNS for host names)");
                continue;
            }
            out.add(s);
        }
        return out;
    }
}
