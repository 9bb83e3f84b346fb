package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.IstioEgressListener;
import io.fabric8.istio.api.api.networking.v1alpha3.Sidecar;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.SidecarConfig;
import io.zonemesh.model.istio.WorkloadSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A {@code Sidecar} spec (its egress scope), validated as Istio's {@code ValidateSidecar}. */
final class SidecarParser {
    private static final FieldPath SPEC = FieldPath.of("spec");

    private SidecarParser() {}

    static SidecarConfig parse(@Nullable Sidecar in, ParseContext ctx) {
        Sidecar spec = in == null ? new Sidecar() : in;
        List<IstioEgressListener> egressIn = Values.list(spec.getEgress());
        if (egressIn.isEmpty() && Values.list(spec.getIngress()).isEmpty() && spec.getOutboundTrafficPolicy() == null) {
            ctx.missing(
                    SPEC.field("egress"), "egress, ingress or outboundTrafficPolicy; a Sidecar needs configuration");
        }
        if (!Values.list(spec.getIngress()).isEmpty()) {
            ctx.unsupported(SPEC.field("ingress"), "Sidecar ingress listeners");
        }
        if (spec.getOutboundTrafficPolicy() != null) {
            ctx.unsupported(
                    SPEC.field("outboundTrafficPolicy"),
                    "outbound traffic policies; unknown hosts are " + "answered 404");
        }
        if (spec.getInboundConnectionPool() != null) {
            ctx.unsupported(SPEC.field("inboundConnectionPool"), "inbound connection pools");
        }
        List<SidecarConfig.Egress> egress = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < egressIn.size(); i++) {
            IstioEgressListener e = egressIn.get(i);
            if (e == null) {
                continue;
            }
            FieldPath ep = SPEC.field("egress").index(i);
            Integer port = null;
            if (e.getPort() == null) {
                // One catch-all listener without port is allowed, and only as the last one.
                if (i != egressIn.size() - 1) {
                    ctx.invalid(
                            ep,
                            "an egress listener without port before the last one (expected: the catch-all "
                                    + "listener last)");
                }
            } else {
                port = ctx.port(ep.field("port").field("number"), e.getPort().getNumber());
                if (port != null && !ports.add(port)) {
                    ctx.invalid(
                            ep.field("port").field("number"),
                            port + " (expected: a port no other egress " + "listener uses)");
                }
            }
            if (e.getBind() != null || e.getCaptureMode() != null) {
                ctx.unsupported(
                        e.getBind() != null ? ep.field("bind") : ep.field("captureMode"),
                        "egress bind addresses and capture modes");
            }
            List<String> hosts = Values.strings(e.getHosts());
            if (hosts.isEmpty()) {
                ctx.missing(ep.field("hosts"), "at least one namespace/host, e.g. ./* or istio-system/*");
            }
            for (int h = 0; h < hosts.size(); h++) {
                String problem = HostSyntax.namespaceSlashHost(hosts.get(h), false);
                if (problem != null) {
                    ctx.invalid(ep.field("hosts").index(h), problem);
                }
            }
            egress.add(new SidecarConfig.Egress(port, hosts));
        }
        WorkloadSelector selector = null;
        if (spec.getWorkloadSelector() != null) {
            var labels = Values.strings(spec.getWorkloadSelector().getLabels());
            Labels.validate(labels, SPEC.field("workloadSelector").field("labels"), ctx);
            selector = new WorkloadSelector(labels);
        }
        return new SidecarConfig(ctx.meta(), selector, egress);
    }
}
