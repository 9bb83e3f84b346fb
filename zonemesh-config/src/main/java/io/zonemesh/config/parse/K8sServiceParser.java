package io.zonemesh.config.parse;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.k8s.TrafficDistribution;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A Kubernetes {@code Service}: ports with Kubernetes' defaults (protocol TCP, targetPort =
 * port) and the API server's port rules.
 */
final class K8sServiceParser {

    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

    private K8sServiceParser() {}

    static K8sService parse(Service service, ParseContext ctx) {
        ServiceSpec spec = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
        List<K8sService.Port> ports = new ArrayList<>();
        List<ServicePort> in = Values.list(spec.getPorts());
        Set<String> names = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < in.size(); i++) {
            ServicePort p = in.get(i);
            if (p != null) {
                K8sService.Port port = port(p, SPEC.field("ports").index(i), in.size() > 1, names, numbers, ctx);
                if (port != null) {
                    ports.add(port);
                }
            }
        }
        String trafficDistribution =
                TrafficDistribution.of(spec.getTrafficDistribution(), ctx.meta().annotations());
        return new K8sService(
                ctx.meta(),
                Values.strings(spec.getSelector()),
                ports,
                spec.getClusterIP(),
                trafficDistribution,
                external(service, spec));
    }

    /** Addresses from {@code spec} and {@code status.loadBalancer}, as istiod's kube conversion reads them. */
    private static K8sService.External external(Service service, ServiceSpec spec) {
        List<String> ingress = new ArrayList<>();
        if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null) {
            for (LoadBalancerIngress i : Values.list(service.getStatus().getLoadBalancer().getIngress())) {
                if (i == null) {
                    continue;
                }
                if (i.getIp() != null && !i.getIp().isEmpty()) {
                    ingress.add(i.getIp());
                } else if (i.getHostname() != null && !i.getHostname().isEmpty()) {
                    ingress.add(i.getHostname());
                }
            }
        }
        List<String> externalIps = new ArrayList<>();
        for (String ip : Values.list(spec.getExternalIPs())) {
            if (ip != null && !ip.isEmpty()) {
                externalIps.add(ip);
            }
        }
        String lbIp = spec.getLoadBalancerIP() == null || spec.getLoadBalancerIP().isEmpty()
                ? null
                : spec.getLoadBalancerIP();
        return new K8sService.External(
                spec.getType() == null || spec.getType().isEmpty() ? "ClusterIP" : spec.getType(),
                lbIp,
                externalIps,
                ingress);
    }

    private static @Nullable K8sService.Port port(
            ServicePort p, FieldPath path, boolean several, Set<String> names, Set<String> numbers, ParseContext ctx) {
        Integer number = ctx.port(path.field("port"), p.getPort());
        if (p.getPort() == null) {
            ctx.missing(path.field("port"), "a port number 1..65535");
        }
        String name = p.getName() == null || p.getName().isEmpty() ? null : p.getName();
        if (name == null && several) {
            // The API server's rule: names tell the ports of a multi-port Service apart.
            ctx.missing(path.field("name"), "a name, required when a Service has more than one port");
        } else if (name != null) {
            String problem = Names.dns1123Label(name);
            if (problem != null) {
                ctx.invalid(path.field("name"), problem);
            } else if (!names.add(name)) {
                ctx.invalid(path.field("name"), '"' + name + "\" (expected: a name no other port of this Service has)");
            }
        }
        String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
        if (!PROTOCOLS.contains(protocol)) {
            ctx.invalid(path.field("protocol"), '"' + protocol + "\" (expected: one of [SCTP, TCP, UDP])");
        }
        if (number != null && !numbers.add(number + "/" + protocol.toUpperCase(Locale.ROOT))) {
            ctx.invalid(path.field("port"), number + " (expected: a port/protocol no other port of this Service has)");
        }
        int targetNumber = 0;
        String targetName = null;
        IntOrString target = p.getTargetPort();
        if (target != null && target.getIntVal() != null) {
            Integer t = ctx.port(path.field("targetPort"), target.getIntVal());
            targetNumber = t == null ? 0 : t;
        } else if (target != null && target.getStrVal() != null) {
            String problem = Names.ianaServiceName(target.getStrVal());
            if (problem != null) {
                ctx.invalid(path.field("targetPort"), problem);
            } else {
                targetName = target.getStrVal();
            }
        }
        if (number == null) {
            return null;
        }
        return new K8sService.Port(name, number, targetNumber, targetName, protocol, p.getAppProtocol());
    }
}
