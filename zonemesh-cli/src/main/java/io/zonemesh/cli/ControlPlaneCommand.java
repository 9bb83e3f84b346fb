package io.zonemesh.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.zonemesh.common.Clock;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.controlplane.ControlPlane;
import io.zonemesh.kube.KubeClients;
import io.zonemesh.kube.ca.RootCertPublisher;
import io.zonemesh.kube.ca.TokenReviewAuthenticator;
import io.zonemesh.kube.discovery.KubeDiscovery;
import io.zonemesh.kube.discovery.MeshAggregate;
import io.zonemesh.kube.discovery.RemoteSecretController;
import io.zonemesh.kube.inject.InjectionConfig;
import io.zonemesh.kube.inject.InjectionWebhookServer;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.EndpointAddressing;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zonemesh control-plane}: the long-running control plane of a Kubernetes cluster, the
 * role istiod plays. The registry is fed by informers on the cluster's API instead of files; the
 * xDS server, debounce and generators are the ones {@code zonemesh up} runs.
 */
@Command(
        name = "control-plane",
        mixinStandardHelpOptions = true,
        description = "Run the control plane against a Kubernetes API server (in-cluster config without --kubeconfig).")
final class ControlPlaneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--kubeconfig",
            description = "kubeconfig file (default: in-cluster service account, else ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", description = "Context in the kubeconfig (default: its current context).")
    String context;

    @Option(
            names = "--xds",
            defaultValue = "0.0.0.0:15010",
            description = "ADS (gRPC) address (default ${DEFAULT-VALUE}).")
    String xds;

    @Option(
            names = "--xds-tls",
            defaultValue = "0.0.0.0:15012",
            description = "The CA (Istio's IstioCertificateService) and ADS over TLS, as istiod's 15012; sidecars "
                    + "authenticate with their service-account token (default ${DEFAULT-VALUE}).")
    String xdsTls;

    @Option(
            names = "--cacerts",
            defaultValue = "/etc/cacerts",
            description = "Plug-in CA folder (istiod's ROOT_CA_DIR): ca-cert.pem, ca-key.pem, root-cert.pem, "
                    + "cert-chain.pem, or tls.crt, tls.key, ca.crt; reloaded when they change. Without it, the Secret "
                    + "cacerts in --namespace, else a self-signed root (default ${DEFAULT-VALUE}).")
    Path cacerts;

    @Option(
            names = "--trust-domain",
            defaultValue = SpiffeId.DEFAULT_TRUST_DOMAIN,
            description = "Trust domain of the SPIFFE identities signed, as MeshConfig trustDomain "
                    + "(default ${DEFAULT-VALUE}).")
    String trustDomain;

    @Option(
            names = "--namespace",
            defaultValue = "${env:POD_NAMESPACE:-zonemesh-system}",
            description =
                    "The control plane's namespace (istiod's system namespace): where the cacerts Secret is read, its "
                            + "remote secrets (label istio/multiCluster=true) add clusters, its topology.istio.io/network label "
                            + "gives each cluster's network (default $POD_NAMESPACE, "
                            + "else zonemesh-system).")
    String namespace;

    @Option(
            names = "--debug",
            defaultValue = "0.0.0.0:15014",
            description =
                    "Status address: /ready, /metrics, /debug/syncz, /debug/configz, /debug/mesh (default ${DEFAULT-VALUE}).")
    String debug;

    @Option(
            names = "--cluster-id",
            defaultValue = "Kubernetes",
            description = "This cluster's id, as istiod's CLUSTER_ID (default ${DEFAULT-VALUE}).")
    String clusterId;

    @Option(
            names = "--sync-timeout",
            defaultValue = "PT60S",
            description =
                    "How long to wait for the first lists of the API before serving anyway, ISO-8601 (default 60s).")
    Duration syncTimeout;

    @Option(
            names = "--webhook",
            defaultValue = "0.0.0.0:15017",
            description = "Sidecar-injection webhook address, HTTPS POST /inject (default ${DEFAULT-VALUE}).")
    String webhook;

    @Option(
            names = "--webhook-tls-dir",
            defaultValue = "/etc/zonemesh/webhook",
            description = "Folder with the webhook's serving certificate, tls.crt and tls.key (a kubernetes.io/tls "
                    + "Secret mounted there); without tls.crt the webhook is not served (default ${DEFAULT-VALUE}).")
    Path webhookTlsDir;

    @Option(
            names = "--injector-xds",
            defaultValue = InjectionConfig.DEFAULT_CONTROL_PLANE,
            description = "The control-plane address injected sidecars connect to (default ${DEFAULT-VALUE}).")
    String injectorXds;

    /** Released by the JVM's shutdown hook, or by {@link #stop()} when embedded (tests). */
    private final CountDownLatch stopped = new CountDownLatch(1);

    void stop() {
        stopped.countDown();
    }

    @Override
    public Integer call() throws Exception {
        InetSocketAddress xdsAddress = address("--xds", xds);
        InetSocketAddress debugAddress = address("--debug", debug);
        InetSocketAddress xdsTlsAddress = address("--xds-tls", xdsTls);
        MeshSettings d = MeshSettings.DEFAULT;
        MeshSettings settings =
                new MeshSettings(d.localityLbSetting(), d.connectTimeout(), d.domainSuffix(), clusterId, d.network());
        // Pods carry their IPs; addresses are only made up for pods the API has not given one yet.
        MeshRegistry registry = new MeshRegistry(
                settings, MeshConfigBundle.EMPTY, (bundle, pods) -> EndpointAddressing.synthetic(pods));
        SecureRandom random = new SecureRandom();
        // Remote secrets add clusters to the same registry (istiod's aggregate registry).
        MeshAggregate aggregate = new MeshAggregate(registry, clusterId, namespace);
        try (KubernetesClient client = KubeClients.create(kubeconfig, context);
                ClusterCa ca = clusterCa(client, random);
                RootCertPublisher rootCerts = RootCertPublisher.start(
                        client, () -> Pem.encode(ca.holder().get().roots()));
                KubeDiscovery discovery = new KubeDiscovery(client, aggregate.sink(clusterId), Clock.system())
                        .watchMeshConfig(namespace);
                RemoteSecretController remotes = new RemoteSecretController(
                        client, namespace, aggregate, Clock.system(), syncTimeout, discovery::synced);
                ControlPlane controlPlane = ControlPlane.builder(registry)
                        .xdsAddress(xdsAddress)
                        .debugAddress(debugAddress)
                        .tls(xdsTlsAddress, ca.holder(), new TokenReviewAuthenticator(client, clusterId, trustDomain))
                        .secureRandom(random)
                        .ready(discovery::synced)
                        .debugPage("/debug/configz", discovery::status)
                        .debugPage("/debug/clusterz", remotes::clusters)
                        .start()) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("zonemesh control plane: watching " + client.getMasterUrl() + " (cluster " + clusterId
                    + "); xDS on " + xdsAddress.getHostString() + ":" + controlPlane.xdsPort()
                    + ", CA and xDS over TLS on "
                    + xdsTlsAddress.getHostString() + ":" + controlPlane.xdsTlsPort() + ", status on http://"
                    + debugAddress.getHostString() + ":" + controlPlane.debugPort() + "/debug/syncz");
            out.println("zonemesh control plane: CA " + ca.source() + ", signing spiffe://" + trustDomain
                    + "/ns/<namespace>/sa/<service account> for TokenReview-verified callers");
            out.flush();
            // A new root (plug-in CA replaced) reaches every namespace's istio-ca-root-cert at once.
            ca.holder().addListener(next -> rootCerts.publishAll());
            try (AutoCloseable injector = startWebhook(out)) {
                discovery.start(syncTimeout);
                remotes.start();
                out.println("zonemesh control plane: synced, mesh version "
                        + registry.state().version() + ", "
                        + registry.state().services().size() + " services, "
                        + discovery.rejected().size()
                        + " resources rejected (see /debug/configz)");
                out.flush();
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "zonemesh-control-plane-shutdown"));
                stopped.await();
            }
        }
        return 0;
    }

    /** The CA; a broken plug-in CA is a usage error naming the file and what is wrong (istiod exits too). */
    private ClusterCa clusterCa(KubernetesClient client, SecureRandom random) throws java.io.IOException {
        try {
            SpiffeId.parse("spiffe://" + trustDomain + "/ns/a/sa/b");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), "--trust-domain: " + trustDomain + " (" + e.getMessage() + ")");
        }
        try {
            return ClusterCa.resolve(cacerts, client, namespace, Clock.system(), random);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * Serves the injection webhook (istiod's 15017) when its certificate is there; a control plane
     * without one (a local run, or before the Secret exists) serves xDS only and says so.
     */
    private AutoCloseable startWebhook(PrintWriter out) throws Exception {
        Path cert = webhookTlsDir.resolve("tls.crt");
        Path key = webhookTlsDir.resolve("tls.key");
        if (!Files.isRegularFile(cert)) {
            out.println("zonemesh control plane: sidecar-injection webhook off (no " + cert + ")");
            out.flush();
            return () -> {};
        }
        if (!Files.isRegularFile(key)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--webhook-tls-dir: " + webhookTlsDir + " has tls.crt but no "
                            + "tls.key (expected: both, as a kubernetes.io/tls Secret holds them)");
        }
        InjectionWebhookServer server = InjectionWebhookServer.start(
                address("--webhook", webhook),
                cert.toFile(),
                key.toFile(),
                InjectionConfig.defaults().withControlPlane(injectorXds));
        out.println("zonemesh control plane: sidecar-injection webhook on https://"
                + webhook.substring(0, webhook.lastIndexOf(':')) + ":"
                + server.address().getPort() + "/inject");
        out.flush();
        return server;
    }

    private InetSocketAddress address(String option, String value) {
        return HostPortOption.parse(spec, option, value);
    }
}
