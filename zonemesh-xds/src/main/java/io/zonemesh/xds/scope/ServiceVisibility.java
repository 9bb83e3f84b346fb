package io.zonemesh.xds.scope;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.model.istio.SidecarConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services a proxy learns about: those exported to its namespace ({@code exportTo}) and, for
 * sidecars with a {@code Sidecar} resource, those its egress hosts select.
 *
 * <p>Sidecar selection as Istio: a Sidecar in the proxy's namespace whose workload selector matches
 * the proxy, else one in that namespace without selector, else one without selector in the root
 * namespace. Egress hosts are {@code namespace/dnsName} with {@code *}, {@code .} and {@code ~}
 * for the namespace and {@code *} or {@code *.suffix} wildcards for the name. Simplifications:
 * an egress listener's port does not restrict which ports of a selected service are visible, and
 * gateways ({@code ROUTER}) ignore Sidecars, as in Istio.
 *
 * <p>When several services share a host name (a Kubernetes Service and a ServiceEntry), the one in
 * the proxy's namespace wins, else the first in the snapshot's order.
 */
public final class ServiceVisibility {
    private ServiceVisibility() {}

    /** Visible services, one per host name, sorted by host name. */
    public static List<Service> visibleServices(
            MeshState state, String proxyNamespace, Map<String, String> proxyLabels, boolean applySidecar) {
        SidecarConfig sidecar = applySidecar ? sidecarFor(state, proxyNamespace, proxyLabels) : null;
        Map<String, Service> byHost = new LinkedHashMap<>();
        for (Service s : state.services()) {
            if (!Hostnames.exportedTo(s.exportTo(), s.namespace(), proxyNamespace)) {
                continue;
            }
            if (sidecar != null && !selectedBy(sidecar, s, proxyNamespace)) {
                continue;
            }
            Service existing = byHost.get(s.hostname());
            if (existing == null
                    || (!existing.namespace().equals(proxyNamespace)
                            && s.namespace().equals(proxyNamespace))) {
                byHost.put(s.hostname(), s);
            }
        }
        List<Service> out = new ArrayList<>(byHost.values());
        out.sort(Comparator.comparing(Service::hostname));
        return List.copyOf(out);
    }

    /** The Sidecar that scopes a proxy, or null. */
    public static @Nullable SidecarConfig sidecarFor(
            MeshState state, String proxyNamespace, Map<String, String> proxyLabels) {
        SidecarConfig namespaceDefault = null;
        SidecarConfig rootDefault = null;
        for (SidecarConfig sc : state.istio().sidecars()) {
            String ns = sc.meta().namespace();
            if (ns.equals(proxyNamespace)) {
                if (sc.workloadSelector() == null) {
                    namespaceDefault = namespaceDefault == null ? sc : namespaceDefault;
                } else if (sc.workloadSelector().matches(proxyLabels)) {
                    return sc;
                }
            } else if (ns.equals(DestinationRuleLookup.ROOT_NAMESPACE) && sc.workloadSelector() == null) {
                rootDefault = rootDefault == null ? sc : rootDefault;
            }
        }
        return namespaceDefault != null ? namespaceDefault : rootDefault;
    }

    private static boolean selectedBy(SidecarConfig sidecar, Service service, String proxyNamespace) {
        for (SidecarConfig.Egress egress : sidecar.egress()) {
            for (String host : egress.hosts()) {
                int slash = host.indexOf('/');
                String ns = slash < 0 ? "*" : host.substring(0, slash);
                String name = slash < 0 ? host : host.substring(slash + 1);
                boolean nsMatch = ns.equals("*")
                        || (ns.equals(".")
                                ? service.namespace().equals(proxyNamespace)
                                : ns.equals(service.namespace()));
                if (nsMatch && Hostnames.matches(name, service.hostname())) {
                    return true;
                }
            }
        }
        return false;
    }
}
