package io.zonemesh.registry;

import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.k8s.TrafficDistribution;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.Workload;
import io.zonemesh.model.istio.WorkloadEntryConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link MeshState} from Kubernetes Services and pods plus Istio ServiceEntries and
 * WorkloadEntries: the file source's part of the registry.
 */
public final class MeshStateBuilder {
    private final MeshSettings settings;

    public MeshStateBuilder(MeshSettings settings) {
        this.settings = settings;
    }

    public MeshState build(
            long version, MeshConfigBundle bundle, List<PodInstance> pods, EndpointAddressing addressing) {
        return build(version, bundle, pods, addressing, null);
    }

    /**
     * With {@code slices} (a Kubernetes API source), Kubernetes Services take their endpoints from
     * their EndpointSlices; without (files), from the pods their selectors pick.
     */
    public MeshState build(
            long version,
            MeshConfigBundle bundle,
            List<PodInstance> pods,
            EndpointAddressing addressing,
            @io.zonemesh.common.Nullable EndpointSlices slices) {
        SliceEndpoints fromSlices = slices == null ? null : new SliceEndpoints(settings, pods, bundle.nodes());
        List<Service> services = new ArrayList<>();
        Map<String, List<Endpoint>> endpoints = new LinkedHashMap<>();
        List<Workload> workloads = new ArrayList<>();
        for (PodInstance pod : pods) {
            workloads.add(new Workload(
                    pod.name(),
                    pod.namespace(),
                    pod.owner(),
                    pod.labels(),
                    pod.annotations(),
                    pod.locality(),
                    pod.nodeName(),
                    addressing.podIp(pod),
                    pod.sidecar(),
                    pod.ready(),
                    pod.env()));
        }
        for (WorkloadEntryConfig we : bundle.istio().workloadEntries()) {
            WorkloadEntryConfig.Spec spec = we.spec();
            workloads.add(new Workload(
                    we.meta().name(),
                    we.meta().namespace(),
                    we.meta().name(),
                    spec.labels(),
                    we.meta().annotations(),
                    ServiceEntries.workloadEntryLocality(spec),
                    "",
                    spec.address(),
                    false,
                    true,
                    Map.of()));
        }
        PodSelectorIndex index = new PodSelectorIndex(pods);
        for (K8sService ks : bundle.services()) {
            Service service = kubernetesService(ks, bundle);
            services.add(service);
            endpoints.put(
                    service.hostname(),
                    fromSlices == null || slices == null
                            ? kubernetesEndpoints(ks, service, index, bundle, addressing)
                            : sliceEndpoints(fromSlices, slices, ks, service, bundle));
        }
        ServiceEntries.addTo(bundle, pods, addressing, services, endpoints, settings);
        // This cluster's network gateways; a multi-cluster registry merges every cluster's.
        // Services that look like gateways but cannot be used are reported by `analyze` (ZM0213).
        List<io.zonemesh.model.NetworkGateway> gateways =
                io.zonemesh.config.NetworkGatewayDiscovery.of(bundle.services(), settings.clusterName(), w -> {});
        return new MeshState(version, services, endpoints, workloads, bundle.istio(), settings, gateways);
    }

    private Service kubernetesService(K8sService ks, MeshConfigBundle bundle) {
        List<ServicePort> ports = new ArrayList<>();
        for (K8sService.Port p : ks.ports()) {
            String name = p.name() == null ? "" : p.name();
            Protocol protocol =
                    "UDP".equalsIgnoreCase(p.protocol()) ? Protocol.UNKNOWN : Protocol.select(name, p.appProtocol());
            ports.add(new ServicePort(name, p.port(), p.targetPortNumber() > 0 ? p.targetPortNumber() : 0, protocol));
        }
        String trafficDistribution =
                TrafficDistribution.resolve(ks.trafficDistribution(), ks.meta().namespace(), bundle.namespaces());
        boolean headless = "None".equals(ks.clusterIp());
        String ns = ks.meta().namespace();
        return new Service(
                fqdn(ks.meta().name(), ns),
                ns,
                ks.meta().name(),
                ports,
                ks.meta().labels(),
                ks.selector(),
                Service.Origin.KUBERNETES,
                headless ? Service.Resolution.PASSTHROUGH : Service.Resolution.EDS,
                List.of(),
                trafficDistribution);
    }

    /** {@code name.namespace.svc.<domainSuffix>}. */
    public String fqdn(String name, String namespace) {
        return name + "." + namespace + ".svc." + settings.domainSuffix();
    }

    private List<Endpoint> kubernetesEndpoints(
            K8sService ks,
            Service service,
            PodSelectorIndex pods,
            MeshConfigBundle bundle,
            EndpointAddressing addressing) {
        List<Endpoint> out = new ArrayList<>();
        if (ks.selector().isEmpty()) {
            return out; // Services without selectors have manually managed Endpoints, not modelled.
        }
        String ns = ks.meta().namespace();
        for (PodInstance pod : pods.select(ns, ks.selector())) {
            for (K8sService.Port p : ks.ports()) {
                int target = targetPort(p, pod);
                if (target <= 0) {
                    continue; // a named targetPort the pod does not declare: Kubernetes skips it too.
                }
                EndpointAddressing.HostPort hp = addressing.endpoint(pod, target);
                out.add(new Endpoint(
                        service.hostname(),
                        p.port(),
                        hp.host(),
                        hp.port(),
                        pod.name(),
                        ns,
                        pod.locality(),
                        pod.labels(),
                        or(pod.network(), settings.network()),
                        or(pod.clusterId(), settings.clusterName()),
                        pod.nodeName(),
                        pod.ready() ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY,
                        pod.sidecar(),
                        1,
                        Identities.ofPod(ns, pod.spec().serviceAccountName()),
                        Endpoint.tlsModeOf(pod.labels()),
                        target));
            }
        }
        addWorkloadEntries(ks, service.hostname(), bundle, out);
        return out;
    }

    /**
     * Kubernetes Services also select WorkloadEntries in their namespace (Istio's auto-registration;
     * istiod's workload-instance handler adds them whatever the Service's pods come from).
     */
    private void addWorkloadEntries(K8sService ks, String hostname, MeshConfigBundle bundle, List<Endpoint> out) {
        String ns = ks.meta().namespace();
        if (ks.selector().isEmpty()) {
            return;
        }
        for (WorkloadEntryConfig we : bundle.istio().workloadEntries()) {
            if (!we.meta().namespace().equals(ns)
                    || !Selectors.matches(ks.selector(), we.spec().labels())) {
                continue;
            }
            for (K8sService.Port p : ks.ports()) {
                int port = we.spec()
                        .ports()
                        .getOrDefault(
                                p.name() == null ? "" : p.name(),
                                p.targetPortNumber() > 0 ? p.targetPortNumber() : p.port());
                out.add(ServiceEntries.workloadEntryEndpoint(
                        hostname, p.port(), we.meta().name(), ns, we.spec(), port, settings));
            }
        }
    }

    private List<Endpoint> sliceEndpoints(
            SliceEndpoints fromSlices, EndpointSlices slices, K8sService ks, Service service, MeshConfigBundle bundle) {
        List<Endpoint> out = new ArrayList<>(fromSlices.endpoints(
                ks,
                service.hostname(),
                slices.of(ks.meta().namespace(), ks.meta().name())));
        addWorkloadEntries(ks, service.hostname(), bundle, out);
        return out;
    }

    static String or(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** A service port's target on a pod: a number, a named container port, or the port itself. */
    static int targetPort(K8sService.Port p, PodInstance pod) {
        if (p.targetPortNumber() > 0) {
            return p.targetPortNumber();
        }
        if (p.targetPortName() != null && !p.targetPortName().isEmpty()) {
            return pod.containerPort(p.targetPortName());
        }
        return p.port();
    }
}
