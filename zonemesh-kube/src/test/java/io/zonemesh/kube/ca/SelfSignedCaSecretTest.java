package io.zonemesh.kube.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.zonemesh.common.Clock;
import io.zonemesh.security.ca.CertificateAuthority;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The self-signed root survives a restart of the control plane through its Secret (istiod's istio-ca-secret). */
@EnableKubernetesMockClient(crud = true)
class SelfSignedCaSecretTest {
    KubernetesClient client;

    @Test
    void theFirstStartCreatesTheRootAndTheNextOneSignsWithItAgain() {
        CertificateAuthority first =
                SelfSignedCaSecret.loadOrCreate(client, "zonemesh-system", Clock.system(), new SecureRandom());
        Secret stored = client.secrets()
                .inNamespace("zonemesh-system")
                .withName(SelfSignedCaSecret.NAME)
                .get();
        assertThat(stored.getData()).containsKeys("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem");

        CertificateAuthority restarted =
                SelfSignedCaSecret.loadOrCreate(client, "zonemesh-system", Clock.system(), new SecureRandom());

        assertThat(restarted.roots()).isEqualTo(first.roots());
        assertThat(restarted.signingCertificate()).isEqualTo(first.signingCertificate());
    }
}
