package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.cli.echo.EchoServer;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.proxy.Transport;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-primary discovery end to end: {@code zonemesh control-plane --cluster-id c1} watching
 * one mock API server, a remote secret in it naming a second mock API server (cluster c2), and a
 * real proxy whose EDS then holds both clusters' helloworld endpoints; a DestinationRule with
 * {@code failoverPriority: [topology.istio.io/cluster]} keeps calls in c1 and fails over to c2.
 */
class MultiClusterControlPlaneTest {
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NS = "sample";
    private static final String SYSTEM = "zonemesh-system";
    private static final URI URL = URI.create("http://helloworld.sample:5000/hello");

    @TempDir
    Path tmp;

    private final EventLoopGroup group = Transport.preferred().newGroup(1, new DefaultThreadFactory("mc-echo"));
    private final InProcessCommands commands = new InProcessCommands();
    private int debugPort;

    @AfterEach
    void close() throws Exception {
        commands.close();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private KubernetesClient cluster(String network) {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder()
                .withGroup("networking.istio.io")
                .withVersion("v1beta1")
                .withPlural("destinationrules")
                .withKind("DestinationRule")
                .withScope("Namespaced")
                .build());
        KubernetesClient client = server.createClient();
        commands.add(server::destroy);
        commands.add(client);
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(SYSTEM)
                        .withLabels(Map.of("topology.istio.io/network", network))
                        .endMetadata()
                        .build())
                .create();
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .create();
        // Both clusters' workers in the same zone: only the cluster label tells them apart.
        client.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("worker")
                        .withLabels(Map.of("topology.kubernetes.io/region", "r1", "topology.kubernetes.io/zone", "z1"))
                        .endMetadata()
                        .build())
                .create();
        client.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("helloworld")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .withSelector(Map.of("app", "helloworld"))
                        .addNewPort()
                        .withName("http")
                        .withPort(5000)
                        .endPort()
                        .endSpec()
                        .build())
                .create();
        return client;
    }

    @Test
    void remoteClusterEndpointsReachTheProxyAndFailoverPriorityOnClusterWorks() throws Exception {
        KubernetesClient c1 = cluster("net1");
        KubernetesClient c2 = cluster("net2");
        int v1Port = echo("127.0.1.1", "v1");
        int v2Port = echo("127.0.1.2", "v2");
        c1.resource(pod("sleep-0", Map.of("app", "sleep"), "127.0.1.3")).create();
        c1.resource(pod("helloworld-0", Map.of("app", "helloworld", "version", "v1"), "127.0.1.1"))
                .create();
        c1.resource(slice(v1Port, "helloworld-0", "127.0.1.1", true)).create();
        // The same pod name in the other cluster, as two Deployments' StatefulSet-like names can be.
        c2.resource(pod("helloworld-0", Map.of("app", "helloworld", "version", "v2"), "127.0.1.2"))
                .create();
        c2.resource(slice(v2Port, "helloworld-0", "127.0.1.2", true)).create();

        Sender sender = new Sender(new InetSocketAddress("127.0.0.1", startProxy(startControlPlane(c1))), WAIT);
        awaitShare(sender, r -> r.countContaining("Hello version: v1") == r.total());

        // istioctl's remote secret for c2, applied in c1: c2's endpoints join helloworld.
        c1.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("istio-remote-secret-c2")
                        .withNamespace(SYSTEM)
                        .withLabels(Map.of("istio/multiCluster", "true"))
                        .endMetadata()
                        .withData(Map.of(
                                "c2",
                                Base64.getEncoder()
                                        .encodeToString(kubeconfig(c2).getBytes(StandardCharsets.UTF_8))))
                        .build())
                .create();
        awaitShare(sender, r -> r.countContaining("v1") > 0 && r.countContaining("v2") > 0);
        assertThat(get("/debug/clusterz")).contains("\"id\" : \"c2\"").contains("\"syncStatus\" : \"synced\"");

        // failoverPriority on the cluster label: the caller's own cluster first.
        for (HasMetadata o : c1.load(new ByteArrayInputStream("""
                        apiVersion: networking.istio.io/v1beta1
                        kind: DestinationRule
                        metadata: {name: helloworld, namespace: sample}
                        spec:
                          host: helloworld.sample.svc.cluster.local
                          trafficPolicy:
                            connectionPool: {http: {maxRequestsPerConnection: 1}}
                            loadBalancer:
                              simple: ROUND_ROBIN
                              localityLbSetting:
                                enabled: true
                                failoverPriority: [topology.istio.io/cluster]
                            outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 1m}
                        """.getBytes(StandardCharsets.UTF_8)))
                .items()) {
            c1.resource(o).create();
        }
        awaitShare(sender, r -> r.countContaining("Hello version: v1") == r.total());

        // c1's endpoint not ready: the other cluster takes over.
        c1.resource(slice(v1Port, "helloworld-0", "127.0.1.1", false)).update();
        awaitShare(sender, r -> r.countContaining("Hello version: v2") == r.total());
        c1.resource(slice(v1Port, "helloworld-0", "127.0.1.1", true)).update();
        awaitShare(sender, r -> r.countContaining("Hello version: v1") == r.total());

        // Without the DestinationRule calls spread over both clusters again; the secret deleted,
        // c2's endpoint leaves EDS and every call stays in c1.
        c1.resources(io.fabric8.istio.api.networking.v1beta1.DestinationRule.class)
                .inNamespace(NS)
                .withName("helloworld")
                .delete();
        awaitShare(sender, r -> r.countContaining("v1") > 0 && r.countContaining("v2") > 0);
        c1.secrets().inNamespace(SYSTEM).withName("istio-remote-secret-c2").delete();
        awaitShare(sender, r -> r.countContaining("Hello version: v1") == r.total());
        assertThat(get("/debug/clusterz")).doesNotContain("\"c2\"");
    }

    private static void awaitShare(Sender sender, Predicate<SendResult> ok) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            SendResult r = sender.send(URL, 40, "GET", List.of(), null);
            return r.errors() == 0 && ok.test(r);
        });
    }

    private int startControlPlane(KubernetesClient local) throws Exception {
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, kubeconfig(local), StandardCharsets.UTF_8);
        InProcessCommands.ControlPlanePorts ports = commands.controlPlane(
                "--kubeconfig", kubeconfig.toString(),
                "--cluster-id", "c1",
                "--namespace", SYSTEM,
                "--xds", "127.0.0.1:0",
                "--debug", "127.0.0.1:0",
                "--xds-tls", "127.0.0.1:0",
                "--cacerts", tmp.resolve("no-cacerts").toString());
        debugPort = ports.debug();
        return ports.xds();
    }

    private String get(String path) throws Exception {
        return InProcessCommands.get(debugPort, path);
    }

    private int startProxy(int xds) {
        return commands.proxy(
                "--xds", "127.0.0.1:" + xds,
                "--pod", "sleep-0",
                "-n", NS,
                "--ip", "127.0.1.3",
                "--outbound", "127.0.0.1:0",
                "--admin", "127.0.0.1:0");
    }

    private int echo(String ip, String version) throws InterruptedException {
        EchoServer echo = new EchoServer(group, version, "helloworld-" + version);
        commands.add(echo);
        return echo.start(ip, 0);
    }

    static String kubeconfig(KubernetesClient target) {
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "SERVER"}}]
                users: [{name: mock, user: {token: test}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: default}}]
                current-context: mock
                """.replace("SERVER", target.getMasterUrl().toString());
    }

    private static io.fabric8.kubernetes.api.model.Pod pod(String name, Map<String, String> labels, String ip) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withNodeName("worker")
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

    private static EndpointSlice slice(int port, String pod, String ip, boolean ready) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName("helloworld-x")
                .withNamespace(NS)
                .withLabels(Map.of("kubernetes.io/service-name", "helloworld"))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("http")
                .withPort(port)
                .withProtocol("TCP")
                .endPort()
                .addNewEndpoint()
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
                .endEndpoint()
                .build();
    }
}
