package io.zonemesh.lb;

import java.util.List;
import java.util.function.Predicate;

/**
 * The hosts of one locality within one priority and its effective weight.
 *
 * @param weight the LocalityLbEndpoints {@code load_balancing_weight} (of its first host)
 * @param effectiveWeight {@code weight x min(1, factor/100 x healthy/total)}
 */
record LocalityHosts(
        String name,
        List<Membership.Member> hosts,
        List<Membership.Member> healthy,
        int weight,
        double effectiveWeight) {

    LocalityHosts {
        hosts = List.copyOf(hosts);
        healthy = List.copyOf(healthy);
    }

    static LocalityHosts of(
            String name,
            List<Membership.Member> hosts,
            Predicate<Membership.Member> isHealthy,
            int overprovisioningFactor) {
        List<Membership.Member> healthy = hosts.stream().filter(isHealthy).toList();
        int weight = hosts.get(0).spec().localityWeight();
        return new LocalityHosts(
                name,
                hosts,
                healthy,
                weight,
                effectiveWeight(weight, healthy.size(), hosts.size(), overprovisioningFactor));
    }

    /**
     * {@code HostSetImpl::effectiveLocalityWeight} (upstream_impl.cc): a double ratio, unlike the
     * integer priority health, so a locality at 69% of 1.4 keeps 0.966 of its weight.
     */
    static double effectiveWeight(int weight, int healthy, int total, int overprovisioningFactor) {
        if (total == 0) {
            return 0.0;
        }
        double availability = 1.0 * healthy / total;
        return weight * Math.min(1.0, overprovisioningFactor / 100.0 * availability);
    }
}
