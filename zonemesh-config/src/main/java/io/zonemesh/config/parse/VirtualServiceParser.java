package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.VirtualService;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.VirtualServiceConfig;
import java.util.ArrayList;
import java.util.List;

/** A {@code VirtualService} spec, validated as Istio's {@code ValidateVirtualService}. */
final class VirtualServiceParser {
    private static final FieldPath SPEC = FieldPath.of("spec");

    private VirtualServiceParser() {}

    static VirtualServiceConfig parse(@Nullable VirtualService in, ParseContext ctx) {
        VirtualService spec = in == null ? new VirtualService() : in;
        List<String> gateways = Values.strings(spec.getGateways());
        // The implicit "mesh" gateway applies when none is named (Istio's default).
        boolean boundToMesh = gateways.isEmpty() || gateways.contains("mesh");
        List<String> hosts = Values.strings(spec.getHosts());
        if (hosts.isEmpty()) {
            ctx.missing(SPEC.field("hosts"), "at least one host");
        }
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            FieldPath hp = SPEC.field("hosts").index(i);
            if (host.equals("*")) {
                if (boundToMesh) {
                    ctx.invalid(
                            hp,
                            "\"*\" (expected: a concrete host; wildcard host * is not allowed for virtual "
                                    + "services bound to the mesh gateway)");
                }
            } else if (!Names.isIp(host)) {
                String problem = Names.wildcardDomain(host);
                if (problem != null) {
                    ctx.invalid(hp, problem);
                }
            }
        }
        for (int i = 0; i < gateways.size(); i++) {
            if (gateways.get(i).isEmpty()) {
                ctx.missing(SPEC.field("gateways").index(i), "a gateway name, namespace/name or mesh");
            }
        }
        List<VirtualServiceConfig.HttpRoute> http = new ArrayList<>();
        List<HTTPRoute> httpIn = Values.list(spec.getHttp());
        for (int i = 0; i < httpIn.size(); i++) {
            if (httpIn.get(i) != null) {
                http.add(HttpRouteParser.parse(httpIn.get(i), SPEC.field("http").index(i), ctx));
            }
        }
        if (!Values.list(spec.getTcp()).isEmpty()) {
            ctx.unsupported(SPEC.field("tcp"), "TCP routes");
        }
        if (!Values.list(spec.getTls()).isEmpty()) {
            ctx.unsupported(SPEC.field("tls"), "TLS routes");
        }
        if (httpIn.isEmpty()
                && Values.list(spec.getTcp()).isEmpty()
                && Values.list(spec.getTls()).isEmpty()) {
            ctx.missing(SPEC.field("http"), "http, tcp or tls routes");
        }
        return new VirtualServiceConfig(
                ctx.meta(), hosts, gateways, ExportTo.parse(spec.getExportTo(), SPEC.field("exportTo"), ctx), http);
    }
}
