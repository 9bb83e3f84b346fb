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
     * Kubernetes-like addressing for files with no running mesh: pod IPs from the
     * benchmark-reserved range 198.18.0.0/15 and the target port. A pod's IP is derived from a
     * hash of its namespace and name (the next free address on a collision, pods taken in name
     * order), so like a real pod's it does not move when other pods come or go: scaling one
     * Deployment changes only its own Service's endpoints.
     */
    static EndpointAddressing synthetic(java.util.List<PodInstance> pods) {
        java.util.Map<String, String> ips = new java.util.HashMap<>();
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.Set<String> fixed = new java.util.HashSet<>();
        for (PodInstance p : pods) {
            String key = p.namespace() + "/" + p.name();
            if (p.podIp() != null) {
                ips.put(key, p.podIp());
                fixed.add(p.podIp());
            } else {
                names.add(key);
            }
        }
        java.util.Collections.sort(names);
        java.util.BitSet used = new java.util.BitSet(SYNTHETIC_ADDRESSES);
        for (String key : names) {
            int slot = Math.floorMod(key.hashCode() * 0x9E3779B9, SYNTHETIC_ADDRESSES - 2) + 1;
            for (int tries = 0;
                    tries < SYNTHETIC_ADDRESSES && (used.get(slot) || fixed.contains(syntheticIp(slot)));
                    tries++) {
                slot = slot % (SYNTHETIC_ADDRESSES - 2) + 1; // skip .0.0 and the last address of the range
            }
            used.set(slot);
            ips.put(key, syntheticIp(slot));
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

    /** Addresses in 198.18.0.0/15. */
    int SYNTHETIC_ADDRESSES = 1 << 17;

    private static String syntheticIp(int slot) {
        return "198." + (18 + (slot >> 16)) + "." + (slot >> 8 & 0xff) + "." + (slot & 0xff);
    }
}
