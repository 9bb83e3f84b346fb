package io.zonemesh.bench.ads;

/** The xDS type URLs the simulated proxies subscribe to, in Envoy's order. */
public final class XdsTypes {
    public static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

    private XdsTypes() {}

    /** Whether a proxy reads resource bodies of this type (to learn what to subscribe to next). */
    static boolean keepsResources(String typeUrl) {
        return CDS.equals(typeUrl) || LDS.equals(typeUrl);
    }

    /** CDS, EDS, LDS or RDS for a type URL; the URL itself otherwise. */
    public static String shortName(String typeUrl) {
        return switch (typeUrl) {
            case CDS -> "CDS";
            case EDS -> "EDS";
            case LDS -> "LDS";
            case RDS -> "RDS";
            default -> typeUrl;
        };
    }
}
