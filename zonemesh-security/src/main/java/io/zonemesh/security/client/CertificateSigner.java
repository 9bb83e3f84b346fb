package io.zonemesh.security.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Gets a CSR signed: Istio's {@code CreateCertificate} seen from the workload. */
public interface CertificateSigner {
    /**
     * Sends {@code csrPem} for signing.
     *
     * @param ttl the requested lifetime; zero leaves it to the CA (24 h in Istio)
     * @return PEM certificates, leaf first and root bundle last, or a failed future
     */
    CompletableFuture<List<String>> sign(String csrPem, Duration ttl);
}
