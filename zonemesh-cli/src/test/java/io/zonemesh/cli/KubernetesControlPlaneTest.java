package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.cli.demo.ExampleFiles;
import io.zonemesh.cli.echo.EchoServer;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.proxy.Transport;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when": {@code zonemesh control-plane} against an API server holding
 * examples/multi-az plus its Pods and EndpointSlices (pod IPs on 127.0.1.x, served by echo
 * apps), and {@code zonemesh proxy --pod sleep-az01-0 -n sample} with no locality of its own,
 * route as {@code zonemesh up} does, following each API change within seconds.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesControlPlaneTest {
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NS = "sample";
    private static final URI URL = URI.create("http://helloworld.sample:5000/hello");

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    private final EventLoopGroup group = Transport.preferred().newGroup(1, new DefaultThreadFactory("kube-e2e-echo"));
    private final InProcessCommands commands = new InProcessCommands();
    private int debugPort;

    @AfterEach
    void close() throws Exception {
        commands.close();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void routesLikeZonemeshUpAndFollowsTheApi() throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder()
                .withGroup("networking.istio.io")
                .withVersion("v1beta1")
                .withPlural("destinationrules")
                .withKind("DestinationRule")
                .withScope("Namespaced")
                .build());
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml", "locality-failover.yaml"));
        for (String file : List.of("cluster.yaml", "apps.yaml")) {
            for (HasMetadata o : load(dir.resolve(file))) {
                if (!(o instanceof Deployment)) {
                    client.resource(o).create(); // the Deployments' Pods are created below, as a cluster would
                }
            }
        }
        int az01Port = echo("127.0.1.1", "az01", "helloworld-az01-0");
        int az02Port = echo("127.0.1.2", "az02", "helloworld-az02-0");
        client.resource(pod("sleep-az01-0", Map.of("app", "sleep", "zone", "az01"), "cluster1-worker", "127.0.1.3"))
                .create();
        client.resource(pod(
                        "helloworld-az01-0",
                        Map.of("app", "helloworld", "version", "az01"),
                        "cluster1-worker",
                        "127.0.1.1"))
                .create();
        client.resource(pod(
                        "helloworld-az02-0",
                        Map.of("app", "helloworld", "version", "az02"),
                        "cluster1-worker2",
                        "127.0.1.2"))
                .create();
        // One slice per zone: each echo app has its own port, so each slice maps "http" to its own.
        client.resource(slice("helloworld-az01", az01Port, endpoint("helloworld-az01-0", "127.0.1.1", true)))
                .create();
        client.resource(slice("helloworld-az02", az02Port, endpoint("helloworld-az02-0", "127.0.1.2", true)))
                .create();

        Path kubeconfig = kubeconfig();
        int xds = startControlPlane(kubeconfig);
        assertThat(get("/ready")).isEqualTo("200 ready\n");
        assertThat(get("/metrics")).contains("pilot_xds ").contains("zonemesh_mesh_version ");
        assertThat(get("/debug/configz")).contains("\"synced\" : true").contains("\"rejected\" : [ ]");
        Sender sender = new Sender(new InetSocketAddress("127.0.0.1", startProxy(xds)), Duration.ofSeconds(5));
        await().atMost(WAIT)
                .until(() -> sender.send(URL, 1, "GET", List.of(), null).errors() == 0);

        // No DestinationRule: Istio's locality LB needs outlier detection, so calls spread.
        awaitShare(sender, r -> r.countContaining("az01") > 0 && r.countContaining("az02") > 0);

        // locality-failover.yaml: every call stays in the caller's zone (az01, from its Node).
        for (HasMetadata o : load(dir.resolve("locality-failover.yaml"))) {
            client.resource(o).create();
        }
        awaitShare(sender, r -> r.countContaining("Hello version: az01") == r.total());

        // The local endpoint turns not-ready: failover to az02.
        client.resource(slice("helloworld-az01", az01Port, endpoint("helloworld-az01-0", "127.0.1.1", false)))
                .update();
        awaitShare(sender, r -> r.countContaining("Hello version: az02") == r.total());
        client.resource(slice("helloworld-az01", az01Port, endpoint("helloworld-az01-0", "127.0.1.1", true)))
                .update();
        awaitShare(sender, r -> r.countContaining("Hello version: az01") == r.total());

        // az02's Node relabelled into az01: both endpoints are local now, about 50/50.
        client.nodes().withName("cluster1-worker2").edit(n -> relabel(n, "az01"));
        awaitShare(sender, r -> r.countContaining("az01") >= 10 && r.countContaining("az02") >= 10);

        // The endpoint deleted from its slice leaves EDS.
        client.resource(slice("helloworld-az02", az02Port)).update();
        awaitShare(sender, r -> r.countContaining("Hello version: az01") == r.total());

        // Back in its zone and its slice, then the DestinationRule removed: calls spread again.
        client.nodes().withName("cluster1-worker2").edit(n -> relabel(n, "az02"));
        client.resource(slice("helloworld-az02", az02Port, endpoint("helloworld-az02-0", "127.0.1.2", true)))
                .update();
        client.resources(io.fabric8.istio.api.networking.v1beta1.DestinationRule.class)
                .inNamespace(NS)
                .withName("helloworld")
                .delete();
        awaitShare(sender, r -> r.countContaining("az01") > 0 && r.countContaining("az02") > 0);

        // A deleted Pod leaves EDS even while its slice still lists it.
        client.pods().inNamespace(NS).withName("helloworld-az02-0").delete();
        awaitShare(sender, r -> r.countContaining("Hello version: az01") == r.total());
    }

    /** Sends batches of 40 until one satisfies {@code ok} (the API change has reached the proxy). */
    private static void awaitShare(Sender sender, Predicate<SendResult> ok) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            SendResult r = sender.send(URL, 40, "GET", List.of(), null);
            return r.errors() == 0 && ok.test(r);
        });
    }

    private int startControlPlane(Path kubeconfig) {

        InProcessCommands.ControlPlanePorts ports = commands.controlPlane(
                "--kubeconfig",
                kubeconfig.toString(),
                "--xds",
                "127.0.0.1:0",
                "--xds-tls",
                "127.0.0.1:0",
                "--cacerts",
                tmp.resolve("no-cacerts").toString(),
                "--debug",
                "127.0.0.1:0");
        debugPort = ports.debug();
        return ports.xds();
    }

    /** Status line and body of a GET on the control plane's status port. */
    private String get(String path) throws Exception {
        return InProcessCommands.get(debugPort, path);
    }

    private int startProxy(int xds) {
        return commands.proxy(
                "--xds",
                "127.0.0.1:" + xds,
                "--pod",
                "sleep-az01-0",
                "-n",
                NS,
                "--ip",
                "127.0.1.3",
                "--outbound",
                "127.0.0.1:0",
                "--admin",
                "127.0.0.1:0");
    }

    private int echo(String ip, String version, String instance) throws InterruptedException {
        EchoServer echo = new EchoServer(group, version, instance);
        commands.add(echo);
        return echo.start(ip, 0);
    }

    private Path kubeconfig() throws java.io.IOException {
        Path file = tmp.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "SERVER"}}]
                users: [{name: mock, user: {token: test}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: default}}]
                current-context: mock
                """.replace("SERVER", client.getMasterUrl().toString()), StandardCharsets.UTF_8);
        return file;
    }

    private List<HasMetadata> load(Path file) throws java.io.IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return client.load(in).items();
        }
    }

    private static Node relabel(Node n, String zone) {
        n.getMetadata().getLabels().put("topology.kubernetes.io/zone", zone);
        return n;
    }

    private static Pod pod(String name, Map<String, String> labels, String node, String ip) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withLabels(labels)
                // As apps.yaml's helloworld template: these pods run no sidecar, so callers must
                // not send them mutual TLS (their endpoints get no tlsMode: istio).
                .withAnnotations(
                        "helloworld".equals(labels.get("app")) ? Map.of("sidecar.istio.io/inject", "false") : Map.of())
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("app")
                .withImage("app")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPodIP(ip)
                .endStatus()
                .build();
    }

    private static Endpoint endpoint(String pod, String ip, boolean ready) {
        return new EndpointBuilder()
                .withAddresses(ip)
                .withNewConditions()
                .withReady(ready)
                .withServing(ready)
                .withTerminating(false)
                .endConditions()
                .withNewTargetRef()
                .withKind("Pod")
                .withName(pod)
                .withNamespace(NS)
                .endTargetRef()
                .build();
    }

    private static EndpointSlice slice(String name, int port, Endpoint... endpoints) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withLabels(Map.of("kubernetes.io/service-name", "helloworld"))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("http")
                .withPort(port)
                .withProtocol("TCP")
                .endPort()
                .withEndpoints(List.of(endpoints))
                .build();
    }
}
