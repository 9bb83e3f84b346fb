package io.zonemesh.lb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster's configuration and hosts as of the last {@code update()}: published as a whole
 * through a volatile field so readers never see a config from one update with hosts of another.
 *
 * @param members in EDS order, each with the spec it had in that update
 * @param byKey the same hosts by {@link HostSpec#identity()}
 * @param byAddress per {@code address:port}, the first of its hosts in EDS order: the one the
 *     outlier detector sees (all hosts of that address share its outlier state)
 */
record Membership(
        ClusterLbConfig config,
        List<Member> members,
        Map<String, UpstreamHost> byKey,
        Map<String, UpstreamHost> byAddress) {

    Membership {
        members = List.copyOf(members);
        byKey = Map.copyOf(byKey);
        byAddress = Map.copyOf(byAddress);
    }

    static Membership empty(ClusterLbConfig config) {
        return new Membership(config, List.of(), Map.of(), Map.of());
    }

    /**
     * One member per {@code address:port} (the first in EDS order): what outlier detection
     * counts and sweeps, so a gateway listed in three localities is one host toward
     * {@code max_ejection_percent}, {@code minimum_hosts} and the failure-percentage statistics.
     */
    List<Member> outlierMembers() {
        List<Member> out = new ArrayList<>(byAddress.size());
        for (Member member : members) {
            if (byAddress.get(member.spec().key()) == member.host()) {
                out.add(member);
            }
        }
        return out;
    }

    /** A host and the spec it was given by the update this membership came from. */
    record Member(UpstreamHost host, HostSpec spec) {}
}
