package io.zonemesh.lb;

import java.util.List;
import java.util.Map;

/**
 * The cluster's configuration and hosts as of the last {@code update()}: published as a whole
 * through a volatile field so readers never see a config from one update with hosts of another.
 *
 * @param members in EDS order, each with the spec it had in that update
 * @param byKey the same hosts by {@code address:port}
 */
record Membership(ClusterLbConfig config, List<Member> members, Map<String, UpstreamHost> byKey) {

    Membership {
        members = List.copyOf(members);
        byKey = Map.copyOf(byKey);
    }

    static Membership empty(ClusterLbConfig config) {
        return new Membership(config, List.of(), Map.of());
    }

    /** A host and the spec it was given by the update this membership came from. */
    record Member(UpstreamHost host, HostSpec spec) {}
}
