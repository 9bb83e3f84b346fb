package io.zonemesh.registry;

import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.TrafficDistribution;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.config.placement.TopologyLabels;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.ServiceEntryConfig;
import io.zonemesh.model.istio.WorkloadEntryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ServiceEntry hosts as services, with endpoints from inline {@code endpoints}, from
 * WorkloadEntries and pods its {@code workloadSelector} picks, or (DNS without endpoints) the
 * host name itself, as Istio's serviceentry controller does.
 */
final class ServiceEntries {
    private ServiceEntries() {}

    static void addTo(
            MeshConfigBundle bundle,
            List<PodInstance> pods,
            EndpointAddressing addressing,
            List<Service> services,
            Map<String, List<Endpoint>> endpoints,
            MeshSettings settings) {
        for (ServiceEntryConfig se : bundle.istio().serviceEntries()) {
            String ns = se.meta().namespace();
            Service.Origin origin = se.location() == ServiceEntryConfig.Location.MESH_INTERNAL
                    ? Service.Origin.SERVICE_ENTRY_INTERNAL
                    : Service.Origin.SERVICE_ENTRY_EXTERNAL;
            String trafficDistribution = TrafficDistribution.resolve(
                    TrafficDistribution.of(null, se.meta().annotations()), ns, bundle.namespaces());
            List<ServicePort> ports = new ArrayList<>();
            for (ServiceEntryConfig.Port p : se.ports()) {
                ports.add(new ServicePort(
                        p.name() == null ? "" : p.name(),
                        p.number(),
                        p.targetPort() == null ? 0 : p.targetPort(),
                        Protocol.select(p.protocol(), null)));
            }
            for (String host : se.hosts()) {
                Service service = new Service(
                        host,
                        ns,
                        se.meta().name(),
                        ports,
                        se.meta().labels(),
                        se.workloadSelector() == null
                                ? Map.of()
                                : se.workloadSelector().matchLabels(),
                        origin,
                        resolution(se.resolution()),
                        se.exportTo(),
                        trafficDistribution,
                        // Istio's Service.ServiceAccounts of a ServiceEntry (serviceentry/conversion.go).
                        se.subjectAltNames());
                services.add(service);
                endpoints.put(host, endpointsOf(se, host, pods, bundle, addressing, settings));
            }
        }
    }

    private static Service.Resolution resolution(ServiceEntryConfig.Resolution r) {
        switch (r) {
            case STATIC:
                return Service.Resolution.STATIC;
            case DNS:
                return Service.Resolution.DNS;
            case DNS_ROUND_ROBIN:
                return Service.Resolution.DNS_ROUND_ROBIN;
            default:
                return Service.Resolution.PASSTHROUGH;
        }
    }

    private static List<Endpoint> endpointsOf(
            ServiceEntryConfig se,
            String host,
            List<PodInstance> pods,
            MeshConfigBundle bundle,
            EndpointAddressing addressing,
            MeshSettings settings) {
        List<Endpoint> out = new ArrayList<>();
        String ns = se.meta().namespace();
        for (ServiceEntryConfig.Port port : se.ports()) {
            int defaultTarget = port.targetPort() == null ? port.number() : port.targetPort();
            int i = 0;
            for (WorkloadEntryConfig.Spec spec : se.endpoints()) {
                int target = spec.ports().getOrDefault(port.name() == null ? "" : port.name(), defaultTarget);
                out.add(workloadEntryEndpoint(
                        host, port.number(), se.meta().name() + "-" + i++, ns, spec, target, settings));
            }
            if (se.workloadSelector() != null) {
                Map<String, String> selector = se.workloadSelector().matchLabels();
                for (WorkloadEntryConfig we : bundle.istio().workloadEntries()) {
                    if (we.meta().namespace().equals(ns)
                            && Selectors.matches(selector, we.spec().labels())) {
                        int target =
                                we.spec().ports().getOrDefault(port.name() == null ? "" : port.name(), defaultTarget);
                        out.add(workloadEntryEndpoint(
                                host, port.number(), we.meta().name(), ns, we.spec(), target, settings));
                    }
                }
                for (PodInstance pod : pods) {
                    if (pod.namespace().equals(ns) && Selectors.matches(selector, pod.labels())) {
                        EndpointAddressing.HostPort hp = addressing.endpoint(pod, defaultTarget);
                        out.add(new Endpoint(
                                host,
                                port.number(),
                                hp.host(),
                                hp.port(),
                                pod.name(),
                                ns,
                                pod.locality(),
                                pod.labels(),
                                MeshStateBuilder.or(pod.network(), settings.network()),
                                MeshStateBuilder.or(pod.clusterId(), settings.clusterName()),
                                pod.nodeName(),
                                pod.ready() ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY,
                                pod.sidecar(),
                                1,
                                Identities.ofPod(ns, pod.spec().serviceAccountName()),
                                Endpoint.tlsModeOf(pod.labels()),
                                defaultTarget));
                    }
                }
            }
            boolean dns = se.resolution() == ServiceEntryConfig.Resolution.DNS
                    || se.resolution() == ServiceEntryConfig.Resolution.DNS_ROUND_ROBIN;
            if (dns && se.endpoints().isEmpty() && se.workloadSelector() == null) {
                out.add(new Endpoint(
                        host,
                        port.number(),
                        host,
                        defaultTarget,
                        host,
                        ns,
                        Locality.EMPTY,
                        Map.of(),
                        "",
                        "",
                        "",
                        HealthStatus.HEALTHY,
                        false,
                        1));
            }
        }
        return out;
    }

    /** {@code locality}, else the region/zone/subzone labels (Istio's serviceentry conversion). */
    static Locality workloadEntryLocality(WorkloadEntryConfig.Spec spec) {
        return spec.locality() != null && !spec.locality().isEmpty()
                ? Locality.parse(spec.locality())
                : TopologyLabels.ofNode(spec.labels());
    }

    static Endpoint workloadEntryEndpoint(
            String host,
            int servicePort,
            String name,
            String ns,
            WorkloadEntryConfig.Spec spec,
            int port,
            MeshSettings settings) {
        return new Endpoint(
                host,
                servicePort,
                spec.address(),
                port,
                name,
                ns,
                workloadEntryLocality(spec),
                spec.labels(),
                spec.network() == null ? settings.network() : spec.network(),
                settings.clusterName(),
                "",
                HealthStatus.HEALTHY,
                false,
                spec.weight() == null || spec.weight() < 1 ? 1 : spec.weight(),
                Identities.ofWorkloadEntry(ns, spec.serviceAccount()));
    }
}
