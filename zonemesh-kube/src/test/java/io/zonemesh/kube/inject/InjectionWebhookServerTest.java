package io.zonemesh.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook over real HTTPS on 127.0.0.1, as the API server calls it. */
class InjectionWebhookServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void servesInjectOverHttpsAndRefusesOtherPaths() throws Exception {
        KeyManagerFactory keys = selfSignedKeys();
        try (InjectionWebhookServer server = InjectionWebhookServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                SslContextBuilder.forServer(keys).build(),
                new AdmissionReviewHandler(new SidecarInjector(InjectionConfig.defaults())))) {
            int port = server.address().getPort();
            HttpsURLConnection inject = post(port, "/inject", GoldenFiles.read("admission-pod.json"));
            assertThat(inject.getResponseCode()).isEqualTo(200);
            JsonNode review;
            try (InputStream in = inject.getInputStream()) {
                review = JSON.readTree(in);
            }
            assertThat(review.at("/response/allowed").asBoolean()).isTrue();
            assertThat(review.at("/response/patchType").asText()).isEqualTo("JSONPatch");

            assertThat(post(port, "/other", "{}").getResponseCode()).isEqualTo(404);
            assertThat(post(port, "/inject", "{}").getResponseCode()).isEqualTo(400);
        }
    }

    private static HttpsURLConnection post(int port, String path, String body) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        HttpsURLConnection connection =
                (HttpsURLConnection) new URL("https://127.0.0.1:" + port + path).openConnection();
        connection.setSSLSocketFactory(trustAll.getSocketFactory());
        connection.setHostnameVerifier((host, session) -> true);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        return connection;
    }

    /** A self-signed key pair from the JDK's keytool (no test-only CA library in the build). */
    private KeyManagerFactory selfSignedKeys() throws Exception {
        Path store = dir.resolve("webhook.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-alias",
                        "webhook",
                        "-dname",
                        "CN=zonemesh.zonemesh-system.svc",
                        "-validity",
                        "1",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue())
                .as(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore, "changeit".toCharArray());
        return factory;
    }
}
