package io.zonemesh.registry;

import io.zonemesh.config.placement.PodInstance;
/**
 * Where a pod's endpoints and application listen. On Kubernetes that is the pod IP and the
 * target port; in the local mesh every pod shares 127.0.0.1 and each socket has its own port,
 * so the runner supplies the addresses it bound.
 */
public interface EndpointAddressing {

    /** The address callers connect to for {@code targetPort} of the pod (its sidecar's if it has one). */
    HostPort endpoint(PodInstance pod, int targetPort);

    /** Where the pod's application itself listens on {@code targetPort} (its sidecar forwards there). */
    HostPort application(PodInstance pod, int targetPort);

    /** The pod's IP as shown in the registry. */
    String podIp(PodInstance pod);

    /** A host and port. */
    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * Kubernetes-like addressing for files with no running mesh: pod IPs from a
     * benchmark-reserved range (198.18.0.0/15), assigned in plan order, and the target port.
     */
    static EndpointAddressing synthetic(java.util.List<PodInstance> pods) {
        java.util.Map<String, String> ips = new java.util.HashMap<>();
        int i = 0;
        for (PodInstance p : pods) {
            int n = ++i;
            ips.put(p.namespace() + "/" + p.name(),
                    p.podIp() != null ? p.podIp() : "198.18." + (n >> 8 & 0xff) + "." + (n & 0xff));
        }
        return new EndpointAddressing() {
            @Override
            public HostPort endpoint(PodInstance pod, int targetPort) {
                return new HostPort(podIp(pod), targetPort);
            }

            @Override
            public HostPort application(PodInstance pod, int targetPort) {
                return new HostPort("127.0.0.1", targetPort);
            }

            @Override
            public String podIp(PodInstance pod) {
                return ips.getOrDefault(pod.namespace() + "/" + pod.name(), "0.0.0.0");
            }
        };
    }
}
