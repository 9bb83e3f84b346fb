package io.zonemesh.bench.mesh;

/**
 * The size of a synthetic benchmark mesh: {@code services} HTTP services spread round-robin over
 * {@code namespaces}, each backed by one Deployment per zone with {@code endpointsPerZone}
 * replicas. The reference mesh is 1,000 services × 3 zones × 10 endpoints in one
 * namespace ({@link #REFERENCE}).
 */
public record MeshShape(int services, int zones, int endpointsPerZone, int namespaces) {
    /** The control-plane size: 30,000 endpoints. */
    public static final MeshShape REFERENCE = new MeshShape(1000, 3, 10, 1);

    public MeshShape {
        positive("services", services);
        if (zones < 1 || zones > 99) {
            throw new IllegalArgumentException("zones: " + zones + " (expected: 1-99)");
        }
        positive("endpointsPerZone", endpointsPerZone);
        positive("namespaces", namespaces);
        if (namespaces > services) {
            throw new IllegalArgumentException(
                    "namespaces: " + namespaces + " (expected: at most services, " + services + ")");
        }
    }

    /** Endpoints in the whole mesh. */
    public int endpoints() {
        return services * zones * endpointsPerZone;
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
        }
    }
}
