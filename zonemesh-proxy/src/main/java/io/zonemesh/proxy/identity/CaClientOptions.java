package io.zonemesh.proxy.identity;

import io.zonemesh.security.KeyAlgorithm;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How the proxy gets its workload certificate, as istio-agent does: from Istio's
 * {@code IstioCertificateService} at {@code caAddress} (gRPC over TLS, istiod's 15012), trusting
 * {@code caRoots} for the CA's own certificate, which must name {@code caServerName}; each call
 * carries {@code authorization: Bearer <token>} (re-read per call: a projected token rotates) and
 * {@code ClusterID}. The key ({@code keyAlgorithm}) never leaves the proxy; certificates are
 * requested for {@code ttl} (Istio's {@code SECRET_TTL}) and rotated at half of their lifetime.
 *
 * @param caAddress {@code HOST:PORT} (Istio's {@code CA_ADDR})
 * @param caServerName the authority checked in the CA's certificate, e.g.
 *     {@code istiod.istio-system.svc}
 * @param clusterId Istio's {@code ISTIO_META_CLUSTER_ID}, e.g. {@code Kubernetes}
 */
public record CaClientOptions(
        String caAddress,
        List<X509Certificate> caRoots,
        String caServerName,
        Supplier<String> token,
        String clusterId,
        KeyAlgorithm keyAlgorithm,
        Duration ttl) {

    public CaClientOptions {
        Objects.requireNonNull(caAddress, "caAddress");
        caRoots = List.copyOf(caRoots);
        if (caRoots.isEmpty()) {
            throw new IllegalArgumentException("caRoots: [] (expected: the roots the CA's certificate chains to)");
        }
        Objects.requireNonNull(caServerName, "caServerName");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
        int colon = caAddress.lastIndexOf(':');
        if (colon <= 0 || colon == caAddress.length() - 1) {
            throw new IllegalArgumentException("caAddress: " + caAddress + " (expected: HOST:PORT)");
        }
    }

    /** The CA's host, without IPv6 brackets. */
    public String host() {
        String host = caAddress.substring(0, caAddress.lastIndexOf(':'));
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The CA's port. */
    public int port() {
        String port = caAddress.substring(caAddress.lastIndexOf(':') + 1);
        try {
            int value = Integer.parseInt(port);
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException("caAddress: " + caAddress + " (expected: a port 1..65535)");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("caAddress: " + caAddress + " (expected: HOST:PORT)", e);
        }
    }
}
