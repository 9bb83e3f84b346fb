package io.zonemesh.config.analysis;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.k8s.TrafficDistribution;
import io.zonemesh.config.placement.TopologyLabels;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.IstioHosts;
import io.zonemesh.model.istio.ServiceEntryConfig;
import io.zonemesh.model.istio.WorkloadEntryConfig;
import io.zonemesh.model.istio.WorkloadSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mesh as the analyzer needs it: every service host with its endpoints (pods selected by
 * Kubernetes Services, WorkloadEntries, ServiceEntry endpoints), pods with their locality, and
 * which DestinationRules apply to which host.
 */
final class MeshIndex {
    private final MeshConfigBundle bundle;
    private final String domainSuffix;
    private final List<PodView> pods;
    private final Map<String, ServiceView> services = new LinkedHashMap<>();
    private final List<ServiceView> wildcardServices = new ArrayList<>();

    MeshIndex(MeshConfigBundle bundle, String domainSuffix) {
        this.bundle = bundle;
        this.domainSuffix = domainSuffix;
        this.pods = Placement.pods(bundle);
        for (K8sService s : bundle.services()) {
            String host = IstioHosts.serviceHost(s.meta().name(), s.meta().namespace(), domainSuffix);
            services.putIfAbsent(
                    host,
                    new ServiceView(
                            host,
                            s.meta().namespace(),
                            s.meta(),
                            kubernetesEndpoints(s),
                            s.selector(),
                            TrafficDistribution.resolve(
                                    s.trafficDistribution(), s.meta().namespace(), bundle.namespaces())));
        }
        for (ServiceEntryConfig se : bundle.istio().serviceEntries()) {
            List<EndpointView> endpoints = serviceEntryEndpoints(se);
            for (String host : se.hosts()) {
                List<EndpointView> own = endpoints;
                if (endpoints.isEmpty()
                        && se.workloadSelector() == null
                        && (se.resolution() == ServiceEntryConfig.Resolution.DNS
                                || se.resolution() == ServiceEntryConfig.Resolution.DNS_ROUND_ROBIN)) {
                    // DNS resolution without endpoints resolves the host itself: one endpoint, no locality.
                    own = List.of(new EndpointView(host, Map.of(), Locality.EMPTY));
                }
                ServiceView view = new ServiceView(
                        host,
                        se.meta().namespace(),
                        se.meta(),
                        own,
                        null,
                        TrafficDistribution.resolve(
                                TrafficDistribution.of(null, se.meta().annotations()),
                                se.meta().namespace(),
                                bundle.namespaces()));
                if (host.startsWith("*")) {
                    wildcardServices.add(view);
                } else {
                    services.putIfAbsent(host, view);
                }
            }
        }
    }

    MeshConfigBundle bundle() {
        return bundle;
    }

    List<PodView> pods() {
        return pods;
    }

    Iterable<ServiceView> services() {
        return services.values();
    }

    /**
     * The service {@code host} (written in a resource of {@code namespace}) names: the host as
     * written first (a ServiceEntry's {@code api.example.com}), then its Kubernetes expansion,
     * then ServiceEntries with a matching wildcard host.
     */
    @Nullable
    ServiceView service(String host, String namespace) {
        for (String candidate : IstioHosts.candidates(host, namespace, domainSuffix)) {
            ServiceView s = services.get(candidate);
            if (s != null) {
                return s;
            }
        }
        String resolved = IstioHosts.resolve(host, namespace, domainSuffix);
        for (ServiceView s : wildcardServices) {
            if (IstioHosts.matches(s.host(), resolved) || s.host().equals(host)) {
                return s;
            }
        }
        return null;
    }

    /** Whether any service host falls under the wildcard {@code pattern}. */
    boolean anyServiceMatches(String pattern) {
        return services.keySet().stream().anyMatch(h -> IstioHosts.matches(pattern, h))
                || wildcardServices.stream().anyMatch(s -> s.host().equals(pattern));
    }

    /** The DestinationRules whose (exact) host is {@code service}. */
    List<DestinationRuleConfig> rulesFor(ServiceView service) {
        List<DestinationRuleConfig> out = new ArrayList<>();
        for (DestinationRuleConfig dr : bundle.istio().destinationRules()) {
            ServiceView s = dr.host().startsWith("*")
                    ? null
                    : service(dr.host(), dr.meta().namespace());
            if (s != null && s.host().equals(service.host())) {
                out.add(dr);
            }
        }
        return out;
    }

    /** The meshed pods that do not belong to {@code service}: who may call it through a sidecar. */
    List<PodView> meshedCallers(ServiceView service) {
        List<PodView> out = new ArrayList<>();
        for (PodView p : pods) {
            boolean own = service.selector() != null
                    && p.namespace().equals(service.namespace())
                    && selects(service.selector(), p.labels());
            if (p.sidecar() && !own) {
                out.add(p);
            }
        }
        return out;
    }

    private List<EndpointView> kubernetesEndpoints(K8sService s) {
        List<EndpointView> out = new ArrayList<>();
        if (s.selector().isEmpty()) {
            return out; // a Service without selector has manually managed endpoints zonemesh cannot see
        }
        for (PodView p : pods) {
            if (p.namespace().equals(s.meta().namespace()) && selects(s.selector(), p.labels())) {
                out.add(new EndpointView(p.owner().ref(), p.labels(), p.locality()));
            }
        }
        // Istio lets Kubernetes Services select WorkloadEntries of their namespace too.
        for (WorkloadEntryConfig we : bundle.istio().workloadEntries()) {
            if (we.meta().namespace().equals(s.meta().namespace())
                    && selects(s.selector(), we.spec().labels())) {
                out.add(workloadEntryEndpoint(we.meta().ref(), we.spec()));
            }
        }
        return out;
    }

    private List<EndpointView> serviceEntryEndpoints(ServiceEntryConfig se) {
        List<EndpointView> out = new ArrayList<>();
        for (int i = 0; i < se.endpoints().size(); i++) {
            out.add(workloadEntryEndpoint(
                    se.meta().ref() + " endpoints[" + i + "]", se.endpoints().get(i)));
        }
        WorkloadSelector selector = se.workloadSelector();
        if (selector != null) {
            for (PodView p : pods) {
                if (p.namespace().equals(se.meta().namespace()) && selector.matches(p.labels())) {
                    out.add(new EndpointView(p.owner().ref(), p.labels(), p.locality()));
                }
            }
            for (WorkloadEntryConfig we : bundle.istio().workloadEntries()) {
                if (we.meta().namespace().equals(se.meta().namespace())
                        && selector.matches(we.spec().labels())) {
                    out.add(workloadEntryEndpoint(we.meta().ref(), we.spec()));
                }
            }
        }
        return out;
    }

    /** A VM's locality: its {@code locality} field, else its topology labels (LOCALITY.md §2.3). */
    private static EndpointView workloadEntryEndpoint(String name, WorkloadEntryConfig.Spec spec) {
        Locality locality = spec.locality() != null && !spec.locality().isEmpty()
                ? Locality.parse(spec.locality())
                : TopologyLabels.ofNode(spec.labels());
        return new EndpointView(name, spec.labels(), locality);
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return new WorkloadSelector(selector).matches(labels);
    }
}
