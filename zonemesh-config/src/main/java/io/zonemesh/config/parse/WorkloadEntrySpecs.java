package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.WorkloadEntry;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.WorkloadEntryConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The WorkloadEntry body, used by WorkloadEntry resources and ServiceEntry {@code endpoints[]}. */
final class WorkloadEntrySpecs {
    private WorkloadEntrySpecs() {}

    /**
     * @param portNames the ServiceEntry's port names the endpoint's {@code ports} must refer to,
     *     or null for a stand-alone WorkloadEntry (whose port names any ServiceEntry may use)
     */
    static WorkloadEntryConfig.@Nullable Spec parse(
            WorkloadEntry in, FieldPath path, @Nullable Set<String> portNames, ParseContext ctx) {
        String address = in.getAddress() == null ? "" : in.getAddress();
        boolean ok = true;
        if (address.isEmpty() && (in.getNetwork() == null || in.getNetwork().isEmpty())) {
            // Istio allows an empty address only for an endpoint reached through its network's gateway.
            ctx.missing(path.field("address"), "an IP address, a DNS name or unix:///path");
            ok = false;
        } else if (!address.isEmpty()
                && !address.startsWith("unix://")
                && !Names.isIp(address)
                && Names.wildcardDomain(address) != null) {
            ctx.invalid(
                    path.field("address"),
                    '"' + address + "\" (expected: an IP address, a DNS name or " + "unix:///path)");
            ok = false;
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, Long> in2 = in.getPorts() == null ? Map.of() : in.getPorts();
        for (Map.Entry<String, Long> e : in2.entrySet()) {
            FieldPath pp = path.field("ports").field(e.getKey());
            Integer port = ctx.port(pp, e.getValue());
            if (portNames != null && !portNames.contains(e.getKey())) {
                ctx.invalid(
                        pp,
                        '"' + e.getKey() + "\" (expected: the name of a port of the ServiceEntry, one of "
                                + new java.util.TreeSet<>(portNames) + ")");
            } else if (port != null) {
                ports.put(e.getKey(), port);
            }
        }
        Map<String, String> labels = Values.strings(in.getLabels());
        Labels.validate(labels, path.field("labels"), ctx);
        if (in.getLocality() != null
                && !in.getLocality().isEmpty()
                && in.getLocality().split("/", -1).length > 3) {
            ctx.invalid(path.field("locality"), '"' + in.getLocality() + "\" (expected: region[/zone[/subzone]])");
        }
        Integer weight =
                in.getWeight() == null ? null : ctx.range(path.field("weight"), in.getWeight(), 0, Integer.MAX_VALUE);
        if (weight != null && weight == 0) {
            weight = null; // protobuf's zero value: unset, so the default weight 1 applies
        }
        return ok
                ? new WorkloadEntryConfig.Spec(
                        address, ports, labels, in.getNetwork(), in.getLocality(), weight, in.getServiceAccount())
                : null;
    }
}
