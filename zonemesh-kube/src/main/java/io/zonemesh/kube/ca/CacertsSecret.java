package io.zonemesh.kube.ca;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.security.ca.CertificateAuthority;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plug-in CA from the {@code cacerts} Secret in the control plane's namespace, Istio's way of
 * giving several clusters intermediates of one root ({@code kubectl create secret generic cacerts
 * --from-file=ca-cert.pem ...}). {@link #read} loads it at start; {@link #watch} follows later
 * changes with an informer and hands each CA that loads to a consumer. A change that does not
 * load is logged with its reason and the CA in use stays, as istiod keeps its old CA; so does a
 * deleted Secret (istiod does not fall back to a self-signed root either).
 */
public final class CacertsSecret implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CacertsSecret.class);
    /** Istio's plug-in Secret name. */
    public static final String NAME = "cacerts";

    private final SharedIndexInformer<Secret> informer;
    private final Object lock = new Object();
    /** Guarded by lock: the Secret data the CA in use was loaded from. */
    private Map<String, String> loaded;
    /** Guarded by lock. */
    private @Nullable String lastError;

    private CacertsSecret(
            KubernetesClient client,
            String namespace,
            Map<String, String> loaded,
            Clock clock,
            SecureRandom random,
            Consumer<CertificateAuthority> onChange) {
        this.loaded = loaded;
        this.informer = client.secrets().inNamespace(namespace).withName(NAME).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                changed(secret, clock, random, onChange);
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
                changed(after, clock, random, onChange);
            }

            @Override
            public void onDelete(Secret secret, boolean finalStateUnknown) {
                log.warn("Secret {}/{} deleted; the CA loaded from it keeps signing", namespace, NAME);
            }
        });
    }

    /**
     * The CA of the {@code cacerts} Secret in {@code namespace}, or null when there is none.
     *
     * @throws IllegalArgumentException when the Secret is there but does not hold a usable CA; the
     *     message names the Secret, the file and what is wrong with it
     */
    public static @Nullable CertificateAuthority read(
            KubernetesClient client, String namespace, Clock clock, SecureRandom random) {
        Secret secret = client.secrets().inNamespace(namespace).withName(NAME).get();
        return secret == null ? null : load(secret, clock, random);
    }

    /**
     * Follows the Secret from now on; {@code current} is the CA in use (from {@link #read}, or
     * null when the Secret did not exist and a self-signed CA signs until it appears).
     */
    public static CacertsSecret watch(
            KubernetesClient client,
            String namespace,
            @Nullable CertificateAuthority current,
            Clock clock,
            SecureRandom random,
            Consumer<CertificateAuthority> onChange) {
        Map<String, String> loaded = Map.of();
        if (current != null) {
            Secret secret =
                    client.secrets().inNamespace(namespace).withName(NAME).get();
            loaded = secret == null ? Map.of() : data(secret);
        }
        return new CacertsSecret(client, namespace, loaded, clock, random, onChange);
    }

    /** Why the Secret's last change did not load, or null when the CA in use is its latest content. */
    public @Nullable String lastError() {
        synchronized (lock) {
            return lastError;
        }
    }

    private void changed(Secret secret, Clock clock, SecureRandom random, Consumer<CertificateAuthority> onChange) {
        Map<String, String> data = data(secret);
        synchronized (lock) {
            if (data.equals(loaded)) {
                return; // the informer's first list, or a change of labels only
            }
            loaded = data;
            try {
                CertificateAuthority ca = load(secret, clock, random);
                lastError = null;
                log.info(
                        "Secret {} changed; signing with {} from now on",
                        source(secret),
                        ca.signingCertificate().getSubjectX500Principal());
                onChange.accept(ca);
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                log.error(
                        "{}: the changed Secret was not loaded, the CA in use stays: {}",
                        source(secret),
                        e.getMessage());
            }
        }
    }

    private static CertificateAuthority load(Secret secret, Clock clock, SecureRandom random) {
        Map<String, byte[]> files = new TreeMap<>();
        Base64.Decoder base64 = Base64.getMimeDecoder();
        data(secret).forEach((name, value) -> files.put(name, base64.decode(value)));
        return CertificateAuthority.fromFiles(files, source(secret), clock, random);
    }

    private static Map<String, String> data(Secret secret) {
        return secret.getData() == null ? Map.of() : Map.copyOf(secret.getData());
    }

    private static String source(Secret secret) {
        return "Secret " + secret.getMetadata().getNamespace() + "/"
                + Objects.requireNonNullElse(secret.getMetadata().getName(), NAME);
    }

    @Override
    public void close() {
        informer.close();
    }
}
