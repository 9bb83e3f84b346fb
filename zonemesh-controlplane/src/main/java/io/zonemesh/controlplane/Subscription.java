package io.zonemesh.controlplane;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;
import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.zonemesh.common.Nullable;
import java.util.List;

/**
 * The resource names of a request, interned: the proxies of a group subscribe to the same 1,000
 * ClusterLoadAssignments and repeat every name in every ACK, so one instance per distinct list is
 * kept instead of one per proxy (and "the same subscription as before" is an identity check).
 * Compared by the names' bytes, decoded to strings once, when first needed.
 */
final class Subscription {
    private static final Interner<Subscription> INTERNED = Interners.newWeakInterner();

    private final List<ByteString> bytes;
    private final int hash;
    private volatile @Nullable List<String> names;

    private Subscription(List<ByteString> bytes) {
        this.bytes = bytes;
        this.hash = bytes.hashCode();
    }

    static Subscription of(DiscoveryRequest request) {
        return INTERNED.intern(
                new Subscription(List.copyOf(request.getResourceNamesList().asByteStringList())));
    }

    boolean isEmpty() {
        return bytes.isEmpty();
    }

    /** The names, decoded once per distinct subscription. */
    List<String> names() {
        List<String> n = names;
        if (n == null) {
            n = bytes.stream().map(ByteString::toStringUtf8).toList();
            names = n;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subscription other && hash == other.hash && bytes.equals(other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
