package io.zonemesh.kube.inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Istio's traffic annotations on a pod, turned into {@code zonemesh proxy-init} arguments the
 * way Istio's injection template turns them into {@code istio-iptables} flags: an include list
 * absent means {@code *} (everything), an exclude list absent means none.
 */
final class TrafficAnnotations {
    static final String INTERCEPTION_MODE = "sidecar.istio.io/interceptionMode";
    static final String INCLUDE_OUTBOUND_IP_RANGES = "traffic.sidecar.istio.io/includeOutboundIPRanges";
    static final String EXCLUDE_OUTBOUND_IP_RANGES = "traffic.sidecar.istio.io/excludeOutboundIPRanges";
    static final String INCLUDE_INBOUND_PORTS = "traffic.sidecar.istio.io/includeInboundPorts";
    static final String EXCLUDE_INBOUND_PORTS = "traffic.sidecar.istio.io/excludeInboundPorts";
    static final String EXCLUDE_OUTBOUND_PORTS = "traffic.sidecar.istio.io/excludeOutboundPorts";

    /** Envoy's Prometheus port and the readiness port, which Istio's template always excludes. */
    static final String PROXY_PORTS = "15090,15021";
    /** Istio's {@code global.proxy.statusPort} (pilot-agent's port: app probes, merged metrics). */
    static final int ISTIO_STATUS_PORT = 15020;

    private TrafficAnnotations() {}

    /**
     * The capture mode: the annotation {@code sidecar.istio.io/interceptionMode} when set, else
     * TPROXY. Istio's default is REDIRECT; zonemesh defaults to TPROXY because a Java proxy can
     * read a TPROXY'd connection's original destination (its local address) but not
     * REDIRECT's {@code SO_ORIGINAL_DST}.
     */
    static String mode(Map<String, String> annotations) {
        String mode = annotations.getOrDefault(INTERCEPTION_MODE, "TPROXY").trim();
        return switch (mode) {
            case "TPROXY", "REDIRECT", "NONE" -> mode;
            default ->
                throw new IllegalArgumentException(
                        INTERCEPTION_MODE + ": " + mode + " (expected: TPROXY, REDIRECT or NONE)");
        };
    }

    /** The init container's arguments after the {@code proxy-init} subcommand. */
    static List<String> proxyInitArgs(Map<String, String> annotations, InjectionConfig config) {
        List<String> args = new ArrayList<>(List.of(
                "--mode", mode(annotations),
                "--proxy-uid", Integer.toString(config.proxyUid()),
                "--outbound-port", Integer.toString(config.outboundPort()),
                "--inbound-port", Integer.toString(config.inboundPort()),
                "--include-outbound-ip-ranges", value(annotations, INCLUDE_OUTBOUND_IP_RANGES, "*"),
                "--include-inbound-ports", value(annotations, INCLUDE_INBOUND_PORTS, "*")));
        addIfSet(args, "--exclude-outbound-ip-ranges", annotations, EXCLUDE_OUTBOUND_IP_RANGES);
        args.add("--exclude-inbound-ports");
        args.add(excludeInboundPorts(annotations));
        addIfSet(args, "--exclude-outbound-ports", annotations, EXCLUDE_OUTBOUND_PORTS);
        return args;
    }

    /**
     * Istio's template's {@code -d}: the proxy's own ports are never captured inbound, so that the
     * kubelet's probes and Prometheus reach them: {@code 15090,15021}, then the annotation's list
     * with Istio's status port {@value #ISTIO_STATUS_PORT} appended unless it is already there
     * (inject.go {@code excludeInboundPort}).
     */
    static String excludeInboundPorts(Map<String, String> annotations) {
        List<String> ports = new ArrayList<>();
        boolean statusListed = false;
        for (String port : value(annotations, EXCLUDE_INBOUND_PORTS, "").split(",", -1)) {
            if (!port.isBlank()) {
                ports.add(port.trim());
                statusListed |= port.trim().equals(Integer.toString(ISTIO_STATUS_PORT));
            }
        }
        if (!statusListed) {
            ports.add(Integer.toString(ISTIO_STATUS_PORT));
        }
        return PROXY_PORTS + "," + String.join(",", ports);
    }

    private static String value(Map<String, String> annotations, String key, String absent) {
        String value = annotations.get(key);
        return value == null ? absent : value.trim();
    }

    private static void addIfSet(List<String> args, String flag, Map<String, String> annotations, String key) {
        String value = annotations.get(key);
        if (value != null && !value.isBlank()) {
            args.add(flag);
            args.add(value.trim());
        }
    }
}
