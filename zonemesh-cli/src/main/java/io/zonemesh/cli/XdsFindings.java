package io.zonemesh.cli;

import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.istio.GatewayConfig;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.model.istio.ResourceMeta;
import io.zonemesh.model.istio.WorkloadSelector;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.xds.ProxyIdentity;
import io.zonemesh.xds.XdsGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ZM0301: what the control plane would leave out of the xDS it pushes for this configuration.
 * Generates every workload's resources exactly as the control plane does and turns the
 * generator's warnings into findings that name the resource's file.
 */
final class XdsFindings {
    private XdsFindings() {}

    static List<Diagnostic> of(MeshConfigBundle bundle) {
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, bundle);
        MeshState state = registry.state();
        XdsGenerator generator = new XdsGenerator();
        Set<String> warnings = new LinkedHashSet<>();
        for (PodInstance pod : registry.pods()) {
            boolean gateway = isGateway(bundle.istio(), pod);
            if (!pod.sidecar() && !gateway) {
                continue;
            }
            ProxyIdentity proxy = new ProxyIdentity(
                    pod.namespace(),
                    pod.name(),
                    pod.owner(),
                    pod.labels(),
                    pod.locality(),
                    gateway ? ProxyIdentity.ProxyType.ROUTER : ProxyIdentity.ProxyType.SIDECAR,
                    false,
                    registry.applicationPorts(pod),
                    pod.nodeName(),
                    pod.clusterId(),
                    pod.network());
            warnings.addAll(generator.generate(state, proxy).warnings());
        }
        Map<String, ResourceMeta> metas = metas(bundle.istio());
        List<Diagnostic> out = new ArrayList<>();
        for (String w : warnings) {
            int space = w.indexOf(' ');
            int colon = w.indexOf(": ");
            String ref = space > 0 ? w.substring(0, space) : "";
            ResourceMeta meta = metas.get(ref);
            String field = colon > space && space > 0 ? w.substring(space + 1, colon) : "";
            String message = colon > 0 ? w.substring(colon + 2) : w;
            out.add(DiagnosticCode.LEFT_OUT_OF_XDS.diagnostic(
                    meta == null ? "" : meta.source(),
                    meta == null ? 0 : meta.document(),
                    meta == null ? ref : meta.ref(),
                    field,
                    message + " (the control plane leaves this out of what it pushes)"));
        }
        return out;
    }

    private static boolean isGateway(IstioConfig istio, PodInstance pod) {
        for (GatewayConfig g : istio.gateways()) {
            if (!g.selector().isEmpty() && new WorkloadSelector(g.selector()).matches(pod.labels())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, ResourceMeta> metas(IstioConfig istio) {
        Map<String, ResourceMeta> out = new HashMap<>();
        istio.virtualServices().forEach(r -> out.put(r.meta().ref(), r.meta()));
        istio.destinationRules().forEach(r -> out.put(r.meta().ref(), r.meta()));
        istio.gateways().forEach(r -> out.put(r.meta().ref(), r.meta()));
        istio.serviceEntries().forEach(r -> out.put(r.meta().ref(), r.meta()));
        istio.sidecars().forEach(r -> out.put(r.meta().ref(), r.meta()));
        return out;
    }
}
