package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.util.List;

/** A validated {@code Sidecar}: which hosts a workload's proxy learns about. */
public record SidecarConfig(ResourceMeta meta, @Nullable WorkloadSelector workloadSelector, List<Egress> egress) {

    public SidecarConfig {
        egress = List.copyOf(egress);
    }

    /** {@code egress[]}: hosts as {@code namespace/dnsName}. */
    public record Egress(@Nullable Integer port, List<String> hosts) {
        public Egress {
            hosts = List.copyOf(hosts);
        }
    }
}
