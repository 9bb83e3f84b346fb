package io.zonemesh.controlplane;

import com.google.protobuf.Message;
import io.zonemesh.xds.XdsResources;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Short content hashes of resource lists, the xDS {@code version_info} of each type. */
final class ContentVersions {
    private ContentVersions() {}

    static ProxyResources.Versions of(XdsResources r) {
        return new ProxyResources.Versions(hash(r.listeners()), hash(r.routes()), hash(r.clusters()),
                hash(r.endpoints()));
    }

    /** Resources arrive sorted by name from the generators, so equal content gives equal hashes. */
    static String hash(List<? extends Message> resources) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Message m : resources) {
                digest.update(m.toByteArray());
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
