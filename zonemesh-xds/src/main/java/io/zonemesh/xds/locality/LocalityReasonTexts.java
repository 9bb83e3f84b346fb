package io.zonemesh.xds.locality;

import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.LocalityLbSetting.Distribute;
import io.zonemesh.model.istio.LocalityLbSetting.Failover;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sentences {@link LocalityReasons} records. They only describe a decision the algorithm
 * already made (the level it computed, the entry it used); they decide nothing.
 */
final class LocalityReasonTexts {
    private LocalityReasonTexts() {}

    /** {@link LocalityFailover#failoverPriority}'s level 0..4 for a group, in words. */
    static String failover(Locality proxy, List<Failover> failover, Locality endpoints, int level) {
        String entry = "";
        for (Failover f : failover) {
            if (f.from().equals(proxy.region())) {
                entry = "failover {from: " + f.from() + ", to: " + f.to() + "}";
                break;
            }
        }
        return switch (level) {
            case 0 -> "default failover: same region, zone and subzone as the proxy (" + proxy + ")";
            case 1 -> "default failover: same zone " + proxy.zone() + ", other subzone";
            case 2 -> "default failover: same region " + proxy.region() + ", other zone";
            case 3 ->
                entry.isEmpty()
                        ? "default failover: other region " + endpoints.region()
                        : entry + ": the designated region, before every other region";
            default ->
                entry + ": other region " + endpoints.region() + ", after "
                        + entry.substring(entry.indexOf("to: ") + 4, entry.length() - 1);
        };
    }

    /**
     * {@code failoverPriority}'s rank for an endpoint: which labels, from the top, matched.
     *
     * @param proxyLabels the proxy's augmented labels
     */
    static String failoverPriority(
            Map<String, String> proxyLabels,
            List<String> failoverPriority,
            Map<String, String> endpointLabels,
            int rank) {
        List<String> parts = new ArrayList<>();
        for (String entry : failoverPriority) {
            String[] kv = entry.split("=", -1);
            String want = kv.length == 2 ? kv[1] : proxyLabels.getOrDefault(kv[0], "");
            String have = endpointLabels.getOrDefault(kv[0], "");
            parts.add(kv[0] + "=" + (have.isEmpty() ? "<none>" : have)
                    + (want.equals(have) ? " matches" : " differs (want " + (want.isEmpty() ? "<none>" : want) + ")"));
        }
        return "failoverPriority rank " + rank + ": " + String.join(", ", parts);
    }

    static String distributeListed(Distribute rule, String pattern, int percent, int weight) {
        return "distribute from " + rule.from() + ": to " + pattern + " " + percent + "% (this locality's weight "
                + weight + ")";
    }

    static String distributeUnlisted(Distribute rule) {
        return "distribute from " + rule.from() + ": locality not listed in to, gets no traffic";
    }
}
