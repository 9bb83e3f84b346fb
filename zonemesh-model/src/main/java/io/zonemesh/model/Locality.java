package io.zonemesh.model;

import java.util.Objects;

/**
 * Where an endpoint or a proxy runs: {@code region/zone/subzone}, each part possibly empty.
 * Comparisons are plain string equality, as Istio's {@code LbPriority}: two empty regions match.
 */
public record Locality(String region, String zone, String subzone) {
    public static final Locality EMPTY = new Locality("", "", "");

    public Locality {
        region = Objects.requireNonNullElse(region, "");
        zone = Objects.requireNonNullElse(zone, "");
        subzone = Objects.requireNonNullElse(subzone, "");
    }

    /**
     * Parses {@code region/zone/subzone}; missing parts are empty and extra segments are
     * ignored, as Istio's {@code SplitLocalityLabel}.
     */
    public static Locality parse(String value) {
        if (value == null || value.isEmpty()) {
            return EMPTY;
        }
        String[] parts = value.split("/", -1);
        return new Locality(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
    }

    public boolean isEmpty() {
        return region.isEmpty() && zone.isEmpty() && subzone.isEmpty();
    }

    /** {@code region/zone/subzone} with trailing empty parts dropped. */
    @Override
    public String toString() {
        if (!subzone.isEmpty()) {
            return region + "/" + zone + "/" + subzone;
        }
        if (!zone.isEmpty()) {
            return region + "/" + zone;
        }
        return region;
    }
}
