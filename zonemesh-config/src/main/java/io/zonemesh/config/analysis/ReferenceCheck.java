package io.zonemesh.config.analysis;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.IstioHosts;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.model.istio.VirtualServiceConfig.Destination;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * References that lead nowhere, like Istio's IST0101 (ReferencedResourceNotFound): ZM0203 a
 * DestinationRule or route host no Service or ServiceEntry defines, ZM0204 a routed subset no
 * DestinationRule defines (Envoy answers 503 for its missing cluster), ZM0205 a subset whose
 * labels select no endpoint.
 */
final class ReferenceCheck implements Check {
    private final String domainSuffix;

    ReferenceCheck(String domainSuffix) {
        this.domainSuffix = domainSuffix;
    }

    @Override
    public void run(MeshIndex mesh, Findings findings) {
        for (DestinationRuleConfig dr : mesh.bundle().istio().destinationRules()) {
            destinationRule(mesh, dr, findings);
        }
        for (VirtualServiceConfig vs : mesh.bundle().istio().virtualServices()) {
            for (int i = 0; i < vs.http().size(); i++) {
                VirtualServiceConfig.HttpRoute route = vs.http().get(i);
                String base = "spec.http[" + i + "]";
                for (int j = 0; j < route.route().size(); j++) {
                    destination(
                            mesh,
                            vs,
                            route.route().get(j).destination(),
                            base + ".route[" + j + "].destination",
                            findings);
                }
                if (route.mirror() != null) {
                    destination(mesh, vs, route.mirror(), base + ".mirror", findings);
                }
            }
        }
    }

    private void destinationRule(MeshIndex mesh, DestinationRuleConfig dr, Findings findings) {
        String host = dr.host();
        if (host.equals("*")) {
            return;
        }
        if (host.startsWith("*")) {
            if (!mesh.anyServiceMatches(host)) {
                findings.add(
                        DiagnosticCode.UNKNOWN_DESTINATION_HOST,
                        dr.meta(),
                        "spec.host",
                        '"' + host + "\" matches no Service or ServiceEntry host (expected: a host of this mesh)");
            }
            return;
        }
        ServiceView service = mesh.service(host, dr.meta().namespace());
        if (service == null) {
            findings.add(
                    DiagnosticCode.UNKNOWN_DESTINATION_HOST,
                    dr.meta(),
                    "spec.host",
                    notFound(host, dr.meta().namespace()));
            return;
        }
        if (service.endpoints().isEmpty()) {
            return;
        }
        for (int i = 0; i < dr.subsets().size(); i++) {
            DestinationRuleConfig.Subset s = dr.subsets().get(i);
            boolean selects = service.endpoints().stream().anyMatch(e -> MeshIndex.selects(s.labels(), e.labels()));
            if (!selects) {
                findings.add(
                        DiagnosticCode.SUBSET_SELECTS_NOTHING,
                        dr.meta(),
                        "spec.subsets[" + i + "].labels",
                        s.labels() + " select none of the "
                                + service.endpoints().size() + " endpoints of "
                                + service.host() + ", so routes to subset " + s.name() + " fail with 503 (expected: "
                                + "labels of its pods, e.g. "
                                + service.endpoints().get(0).labels() + ")");
            }
        }
    }

    private void destination(MeshIndex mesh, VirtualServiceConfig vs, Destination d, String path, Findings findings) {
        String ns = vs.meta().namespace();
        ServiceView service = mesh.service(d.host(), ns);
        if (service == null) {
            findings.add(DiagnosticCode.UNKNOWN_DESTINATION_HOST, vs.meta(), path + ".host", notFound(d.host(), ns));
        }
        if (d.subset() == null) {
            return;
        }
        Set<String> defined = new TreeSet<>();
        boolean anyRule = false;
        for (DestinationRuleConfig dr : mesh.bundle().istio().destinationRules()) {
            if (sameHost(mesh, dr, service, d.host(), ns)) {
                anyRule = true;
                dr.subsets().forEach(s -> defined.add(s.name()));
            }
        }
        if (!defined.contains(d.subset())) {
            findings.add(
                    DiagnosticCode.UNDEFINED_SUBSET,
                    vs.meta(),
                    path + ".subset",
                    '"' + d.subset()
                            + "\" is defined by no DestinationRule for "
                            + IstioHosts.resolve(d.host(), ns, domainSuffix)
                            + "; requests routed to it fail with 503 (expected: "
                            + (anyRule ? "one of " + defined : "a DestinationRule for the host defining the subset")
                            + ")");
        }
    }

    private boolean sameHost(
            MeshIndex mesh, DestinationRuleConfig dr, @Nullable ServiceView service, String host, String ns) {
        if (service != null) {
            ServiceView other = mesh.service(dr.host(), dr.meta().namespace());
            return other != null && other.host().equals(service.host());
        }
        List<String> wanted = IstioHosts.candidates(host, ns, domainSuffix);
        return IstioHosts.candidates(dr.host(), dr.meta().namespace(), domainSuffix).stream()
                .anyMatch(wanted::contains);
    }

    private String notFound(String host, String ns) {
        String resolved = IstioHosts.resolve(host, ns, domainSuffix);
        return '"' + host + "\"" + (resolved.equals(host) ? "" : " (" + resolved + ")")
                + " is defined by no Service or ServiceEntry (expected: a Service or ServiceEntry for this host)";
    }
}
