package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.analysis.Analyzer;
import io.zonemesh.proxy.ZonemeshProxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Istio's own samples (test resources istio-samples/, copied unchanged) load in {@code zonemesh
 * analyze} and run in {@code zonemesh up}: bookinfo's ServiceAccounts, subsets, routes and
 * gateway, and helloworld.
 */
class IstioSamplesTest {
    private final ConfigLoader loader = new ConfigLoader();

    private static Path sample(String relative) {
        try {
            return Path.of(
                    Objects.requireNonNull(IstioSamplesTest.class.getResource("/istio-samples/" + relative), relative)
                            .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Diagnostic> errors(List<Diagnostic> diagnostics) {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    private LoadResult bookinfo(String... extraLayers) {
        List<Path> layers = new ArrayList<>(List.of(
                sample("bookinfo/bookinfo.yaml"),
                sample("bookinfo/destination-rule-all.yaml"),
                sample("bookinfo/virtual-service-all-v1.yaml"),
                sample("bookinfo/bookinfo-gateway.yaml")));
        for (String extra : extraLayers) {
            layers.add(sample(extra));
        }
        return loader.loadLayers(layers);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "virtual-service-reviews-test-v2.yaml",
                "virtual-service-reviews-50-v3.yaml",
                "virtual-service-reviews-jason-v2-v3.yaml",
                "virtual-service-reviews-80-20.yaml"
            })
    void bookinfoLoadsAndAnalyzesWithoutErrors(String reviewsRoute) {
        // Each reviews route replaces virtual-service-all-v1's, as a later kubectl apply does.
        LoadResult r = bookinfo("bookinfo/" + reviewsRoute);

        assertThat(errors(r.diagnostics())).isEmpty();
        assertThat(errors(new Analyzer().analyze(r.bundle()))).isEmpty();
        assertThat(r.bundle().services()).hasSize(4);
        assertThat(r.bundle().deployments()).hasSize(6);
        // ServiceAccounts are read (their name is the pods' identity), so they are not "ignored".
        assertThat(r.diagnostics()).noneMatch(d -> d.code().equals(DiagnosticCode.IGNORED_KINDS.code()));
    }

    @Test
    void helloworldLoadsAndRuns() throws Exception {
        LoadResult r = loader.loadLayers(List.of(
                sample("helloworld/helloworld.yaml"),
                sample("helloworld/helloworld-gateway.yaml"),
                sample("injection/default-namespace.yaml")));

        assertThat(errors(r.diagnostics())).isEmpty();
        assertThat(errors(new Analyzer().analyze(r.bundle()))).isEmpty();
        try (LocalMesh mesh = LocalMesh.start(r.bundle(), RandomSource.seededThreadSafe(5))) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            ZonemeshProxy v1 = Objects.requireNonNull(mesh.sidecarOf("default", "helloworld-v1"));
            SendResult result = new Sender(
                            new InetSocketAddress("127.0.0.1", v1.outboundPort()), Duration.ofSeconds(15))
                    .send(URI.create("http://helloworld:5000/hello"), 10, "GET", List.of(), null);
            assertThat(result.errors()).as("%s", result.errorCauses()).isZero();
        }
    }

    @Test
    void bookinfoRunsAndProductpageReachesReviewsV1() throws Exception {
        // Istio's bookinfo guide first labels the namespace for injection
        // (kubectl label namespace default istio-injection=enabled); that is this layer.
        LoadResult r = bookinfo("injection/default-namespace.yaml");
        assertThat(errors(r.diagnostics())).isEmpty();
        try (LocalMesh mesh = LocalMesh.start(r.bundle(), RandomSource.seededThreadSafe(3))) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            ZonemeshProxy productpage = Objects.requireNonNull(mesh.sidecarOf("default", "productpage-v1"));
            SendResult result = new Sender(
                            new InetSocketAddress("127.0.0.1", productpage.outboundPort()), Duration.ofSeconds(15))
                    .send(URI.create("http://reviews:9080/reviews/0"), 20, "GET", List.of(), null);

            assertThat(result.errors()).as("%s", result.errorCauses()).isZero();
            assertThat(result.responses())
                    .isNotEmpty()
                    .allSatisfy((line, n) -> assertThat(line).contains("reviews-v1-"));
        }
    }
}
