package io.zonemesh.kube.ca;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zonemesh.common.Clock;
import io.zonemesh.security.ca.CertificateAuthority;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The self-signed root a control plane without a plug-in CA signs with, kept in the Secret
 * {@code zonemesh-ca-secret} of its namespace so that it survives restarts and every replica
 * signs with the same root, as istiod keeps its own in {@code istio-ca-secret}. The first control
 * plane creates it; one that loses the race to create it reads the winner's.
 */
public final class SelfSignedCaSecret {
    /** istiod's {@code istio-ca-secret}, by zonemesh's name. */
    public static final String NAME = "zonemesh-ca-secret";
    /** istiod's self-signed root subject is its trust domain's organisation. */
    private static final String ORG = "zonemesh";

    private SelfSignedCaSecret() {}

    /**
     * The CA of the Secret, or a new self-signed root stored in it.
     *
     * @throws IllegalArgumentException when the Secret is there but broken (its file and reason)
     */
    public static CertificateAuthority loadOrCreate(
            KubernetesClient client, String namespace, Clock clock, SecureRandom random) {
        Secret existing = client.secrets().inNamespace(namespace).withName(NAME).get();
        if (existing != null) {
            return load(existing, namespace, clock, random);
        }
        CertificateAuthority ca = CertificateAuthority.selfSigned(ORG, clock, random);
        Map<String, String> data = new TreeMap<>();
        ca.files().forEach((name, bytes) -> data.put(name, Base64.getEncoder().encodeToString(bytes)));
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "zonemesh")
                .endMetadata()
                .withType("istio.io/ca-root")
                .withData(data)
                .build();
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
            return ca;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // Another replica created it between our read and our create: sign with its root.
            Secret winner =
                    client.secrets().inNamespace(namespace).withName(NAME).get();
            if (winner == null) {
                throw e;
            }
            return load(winner, namespace, clock, random);
        }
    }

    private static CertificateAuthority load(Secret secret, String namespace, Clock clock, SecureRandom random) {
        Map<String, byte[]> files = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach((k, v) -> files.put(k, Base64.getMimeDecoder().decode(v)));
        }
        return CertificateAuthority.fromFiles(files, "Secret " + namespace + "/" + NAME, clock, random);
    }
}
