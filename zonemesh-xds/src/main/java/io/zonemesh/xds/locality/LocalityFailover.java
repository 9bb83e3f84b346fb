package io.zonemesh.xds.locality;

import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.LocalityLbSetting.Failover;
import java.util.ArrayList;
import java.util.List;

/**
 * Istio's default locality failover, {@code applyLocalityFailover} (LOCALITY.md §1.3–1.4):
 * priority by how much of the proxy's locality an endpoint group shares, with the {@code failover}
 * list splitting other regions into "the designated region" and "the rest".
 */
public final class LocalityFailover {
    /** Conceptual priorities per group; composition multiplies earlier priorities by this. */
    static final int LEVELS = 5;

    private LocalityFailover() {}

    /**
     * Istio's {@code LbPriority}: 0 same subzone, 1 same zone, 2 same region, 3 otherwise.
     * Plain string equality, so empty parts match empty parts (issue #20077).
     */
    public static int lbPriority(Locality proxy, Locality endpoints) {
        if (!proxy.region().equals(endpoints.region())) {
            return 3;
        }
        if (!proxy.zone().equals(endpoints.zone())) {
            return 2;
        }
        return proxy.subzone().equals(endpoints.subzone()) ? 0 : 1;
    }

    /**
     * The conceptual priority 0..4 of one group: {@link #lbPriority}, and for other regions 4
     * unless the group is in the {@code to} region of the first entry whose {@code from} is the
     * proxy's region (later entries for the same region are never read).
     */
    public static int failoverPriority(Locality proxy, List<Failover> failover, Locality endpoints) {
        int p = lbPriority(proxy, endpoints);
        if (p == 3) {
            for (Failover f : failover) {
                if (f.from().equals(proxy.region())) {
                    if (!endpoints.region().equals(f.to())) {
                        p = 4;
                    }
                    break;
                }
            }
        }
        return p;
    }

    /**
     * Applies the failover order on top of the groups' current priorities
     * ({@code priority * 5 + p}, so it composes with an earlier {@link FailoverPriority} result)
     * and compacts.
     */
    public static List<LocalityGroup> apply(Locality proxy, List<Failover> failover, List<LocalityGroup> groups) {
        List<LocalityGroup> out = new ArrayList<>(groups.size());
        for (LocalityGroup g : groups) {
            int level = failoverPriority(proxy, failover, g.locality());
            if (LocalityReasons.active()) {
                LocalityReasons.group(g, LocalityReasonTexts.failover(proxy, failover, g.locality(), level));
            }
            out.add(g.withPriority(g.priority() * LEVELS + level));
        }
        return LocalityGroups.compact(out);
    }
}
