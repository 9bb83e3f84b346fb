package io.zonemesh.proxy.config;

/** Envoy's {@code Listener.traffic_direction}, also the {@code direction} label of request metrics. */
public enum Direction {
    OUTBOUND("outbound"),
    INBOUND("inbound"),
    UNSPECIFIED("unspecified");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    /** The lower-case name used in metrics and access logs. */
    public String label() {
        return label;
    }
}
