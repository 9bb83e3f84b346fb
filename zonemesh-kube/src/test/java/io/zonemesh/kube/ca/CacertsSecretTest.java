package io.zonemesh.kube.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.zonemesh.common.Clock;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.CaFiles;
import io.zonemesh.security.ca.CertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plug-in CA from the {@code cacerts} Secret (fabric8's mock API server, CRUD mode): read at
 * start, reloaded when the Secret is replaced (new certificates chain to the new root), a broken
 * Secret named with its file.
 */
@EnableKubernetesMockClient(crud = true)
class CacertsSecretTest {
    private static final String NS = "zonemesh-system";
    private static final SpiffeId ID = new SpiffeId("cluster.local", "shop", "reviews");

    KubernetesClient client;

    @TempDir
    Path tmp;

    private final SecureRandom random = new SecureRandom();

    /** Istio's {@code kubectl create secret generic cacerts --from-file=...} of a new root's intermediate. */
    private Secret secret(String name) throws Exception {
        Path root = tmp.resolve(name + "-root");
        Path out = tmp.resolve(name + "-cacerts");
        CaFiles.writeRoot(root, Clock.system(), random, 2048);
        CaFiles.writeIntermediate(root, "cluster1", out, Clock.system(), random, 2048);
        Map<String, String> data = new TreeMap<>();
        for (String f : List.of("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem")) {
            data.put(f, Base64.getEncoder().encodeToString(Files.readAllBytes(out.resolve(f))));
        }
        return new SecretBuilder()
                .withNewMetadata()
                .withName("cacerts")
                .withNamespace(NS)
                .endMetadata()
                .withData(data)
                .build();
    }

    private static X509Certificate root(Secret s) {
        return Pem.certificates(new String(
                        Base64.getDecoder().decode(s.getData().get("root-cert.pem")),
                        java.nio.charset.StandardCharsets.US_ASCII))
                .get(0);
    }

    private X509Certificate rootOfNewCertificates(CertificateAuthority ca) {
        String csr = Csrs.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256, random), ID);
        List<String> chain = ca.sign(csr, ID, Duration.ofHours(1));
        return Pem.certificates(chain.get(chain.size() - 1)).get(0);
    }

    @Test
    void noSecretMeansNoPlugInCa() {
        assertThat(CacertsSecret.read(client, NS, Clock.system(), random)).isNull();
    }

    @Test
    void aReplacedSecretIsLoadedAndNewCertificatesChainToTheNewRoot() throws Exception {
        Secret first = secret("first");
        client.resource(first).create();
        CertificateAuthority initial = CacertsSecret.read(client, NS, Clock.system(), random);
        assertThat(rootOfNewCertificates(initial)).isEqualTo(root(first));
        AtomicReference<CertificateAuthority> current = new AtomicReference<>(initial);

        try (CacertsSecret watch = CacertsSecret.watch(client, NS, initial, Clock.system(), random, current::set)) {
            Secret second = secret("second");
            client.resource(second).update();

            await().atMost(Duration.ofSeconds(20)).until(() -> current.get() != initial);
            assertThat(rootOfNewCertificates(current.get())).isEqualTo(root(second));
            assertThat(watch.lastError()).isNull();
        }
    }

    @Test
    void aBrokenSecretNamesTheSecretAndTheFile() throws Exception {
        Secret broken = new SecretBuilder(secret("broken"))
                .addToData("ca-key.pem", secret("other").getData().get("ca-key.pem"))
                .build();
        client.resource(broken).create();

        assertThatThrownBy(() -> CacertsSecret.read(client, NS, Clock.system(), random))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Secret " + NS + "/cacerts")
                .hasMessageContaining("ca-key.pem");
    }

    @Test
    void aBrokenChangeIsReportedAndTheCaInUseStays() throws Exception {
        Secret first = secret("first");
        client.resource(first).create();
        CertificateAuthority initial = CacertsSecret.read(client, NS, Clock.system(), random);
        AtomicReference<CertificateAuthority> current = new AtomicReference<>(initial);
        try (CacertsSecret watch = CacertsSecret.watch(client, NS, initial, Clock.system(), random, current::set)) {
            Secret broken = new SecretBuilder(first)
                    .addToData("ca-key.pem", secret("other").getData().get("ca-key.pem"))
                    .build();
            client.resource(broken).update();

            await().atMost(Duration.ofSeconds(20)).until(() -> watch.lastError() != null);
            assertThat(watch.lastError()).contains("ca-key.pem");
            assertThat(current.get()).isSameAs(initial);
        }
    }
}
