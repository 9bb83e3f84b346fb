package io.zonemesh.config.analysis;

import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.config.placement.PodPlanner;
import java.util.ArrayList;
import java.util.List;

/**
 * Where pods run, and so their locality and sidecar, exactly as the registry places them
 * ({@link PodPlanner}), so findings speak of the same pods the control plane serves.
 */
final class Placement {
    private Placement() {}

    static List<PodView> pods(MeshConfigBundle bundle) {
        List<PodView> out = new ArrayList<>();
        for (PodInstance p : PodPlanner.plan(bundle)) {
            out.add(new PodView(p.namespace(), p.source(), p.labels(), p.locality(), p.sidecar()));
        }
        return out;
    }
}
