package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonemesh.cli.demo.ExampleFiles;
import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code zonemesh proxy} joining a running mesh as a workload it knows, over real sockets. */
class ProxyCommandTest {

    @Test
    void aStandaloneProxyLearnsTheMeshOverXdsAndKeepsCallsInItsZone() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml", "locality-failover.yaml"));
        try (LocalMesh mesh = LocalMesh.start(new ConfigLoader().load(dir).bundle(), RandomSource.system())) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            ProxyCommand command = new ProxyCommand();
            StringWriter out = new StringWriter();
            CommandLine cl = new CommandLine(command);
            cl.setOut(new PrintWriter(out, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute(
                    "--xds",
                    "127.0.0.1:" + mesh.controlPlane().xdsPort(),
                    "--pod",
                    "vm-1",
                    "-n",
                    "sample",
                    "--owner",
                    "vm",
                    "--locality",
                    "sg/az02",
                    "--outbound",
                    "127.0.0.1:0",
                    "--admin",
                    "127.0.0.1:0",
                    "--status",
                    "127.0.0.1:0"));
            try {
                Pattern port = Pattern.compile("outbound 127\\.0\\.0\\.1:(\\d+)");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> port.matcher(out.toString()).find());
                Matcher m = port.matcher(out.toString());
                assertThat(m.find()).isTrue();
                Sender sender = new Sender(
                        new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))), Duration.ofSeconds(5));
                URI url = URI.create("http://helloworld.sample:5000/hello");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> sender.send(url, 1, "GET", List.of(), null).errors() == 0);

                SendResult r = sender.send(url, 20, "GET", List.of(), null);
                assertThat(r.errors()).isZero();
                assertThat(r.countContaining("Hello version: az02"))
                        .as("locality from --locality")
                        .isEqualTo(20);
                // Istio's readiness endpoint on the status port: ready once configured.
                Matcher status = Pattern.compile("status :(\\d+)/healthz/ready").matcher(out.toString());
                assertThat(status.find()).as("%s", out).isTrue();
                HttpResponse<String> ready = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + status.group(1) + "/healthz/ready"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
            } finally {
                command.stop();
            }
            assertThat(exit.get()).isZero();
        }
    }

    @Test
    void theStatusPortIsOnByDefaultOnlyInAKubernetesPod() {
        assertThat(ProxyCommand.statusDefault(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1")))
                .isEqualTo("0.0.0.0:15021");
        assertThat(ProxyCommand.statusDefault(Map.of())).isNull();
    }
}
