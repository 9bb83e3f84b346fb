package io.zonemesh.xds.locality;

import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.LocalityLbSetting.Distribute;
import io.zonemesh.model.istio.LocalityLbSetting.Failover;
import java.util.ArrayList;
import java.util.List;

/**
 * zonemesh's extension to {@code distribute}, enabled per DestinationRule by the annotation
 * {@value #ANNOTATION}{@code : "true"} (LOCALITY.md "zonemesh decisions"): the localities a
 * matching rule lists keep their distribute weights at priority 0, and instead of being deleted
 * (Istio issues #33470, #48197) the unlisted ones follow at lower priorities in the default
 * failover order ({@link LocalityFailover}), keeping their own weights. When the proxy matches no
 * {@code from}, nothing changes, exactly as with Istio's {@code distribute}.
 */
public final class DistributeFailover {
    public static final String ANNOTATION = "zonemesh.io/distribute-failover";

    private DistributeFailover() {}

    public static List<LocalityGroup> apply(
            Locality proxy, List<Distribute> distribute, List<Failover> failover, List<LocalityGroup> groups) {
        LocalityDistribute.Split split = LocalityDistribute.split(proxy, distribute, groups);
        if (split == null) {
            return groups;
        }
        List<LocalityGroup> out = new ArrayList<>(split.listed());
        for (LocalityGroup g : split.unlisted()) {
            LocalityReasons.group(g, DistributeFailover.ANNOTATION + ": unlisted locality kept after the listed ones");
            out.add(g.withPriority(1 + LocalityFailover.failoverPriority(proxy, failover, g.locality())));
        }
        return LocalityGroups.compact(out);
    }
}
