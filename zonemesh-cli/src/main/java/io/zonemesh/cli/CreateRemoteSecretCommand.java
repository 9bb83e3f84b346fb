package io.zonemesh.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zonemesh.common.Nullable;
import io.zonemesh.kube.KubeClients;
import io.zonemesh.kube.discovery.RemoteSecrets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zonemesh create-remote-secret --name NAME}: {@code istioctl create-remote-secret}. Prints
 * the Secret that lets another cluster's control plane watch this cluster's API server; apply it
 * in that cluster's control-plane namespace.
 */
@Command(
        name = "create-remote-secret",
        mixinStandardHelpOptions = true,
        description = "Print a remote secret (istio/multiCluster) with credentials to this cluster's API server, "
                + "for another cluster's control plane: zonemesh create-remote-secret --name c1 | kubectl "
                + "--context c2 -n zonemesh-system apply -f -")
final class CreateRemoteSecretCommand implements Callable<Integer> {
    /** istioctl: the name must be a DNS-1123 label (it names the Secret). */
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--name",
            description = "This cluster's name (its cluster ID in the other control plane; default: the UID of "
                    + "the kube-system namespace, as istioctl).")
    @Nullable
    String name;

    @Option(names = "--kubeconfig", description = "kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).")
    @Nullable
    Path kubeconfig;

    @Option(names = "--context", description = "Context in the kubeconfig (default: its current context).")
    @Nullable
    String context;

    @Option(
            names = {"-n", "--namespace"},
            defaultValue = "zonemesh-system",
            description = "Namespace of the service account and of the Secret (default ${DEFAULT-VALUE}, where "
                    + "zonemesh's control plane runs; istioctl's is istio-system).")
    String namespace;

    @Option(
            names = "--service-account",
            defaultValue = RemoteSecrets.DEFAULT_SERVICE_ACCOUNT,
            description = "Service account whose token the kubeconfig carries (default ${DEFAULT-VALUE}).")
    String serviceAccount;

    @Option(
            names = "--server",
            description = "API server address written in the kubeconfig (default: the kubeconfig's server).")
    @Nullable
    String server;

    @Option(
            names = "--token-wait-seconds",
            defaultValue = "5",
            description = "How long to wait for a created token Secret to be filled in (default ${DEFAULT-VALUE}).")
    long tokenWaitSeconds;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (name != null && !DNS1123_LABEL.matcher(name).matches()) {
            return fail(
                    err,
                    "--name: " + name + " is not a valid DNS 1123 label (expected: lower-case letters, "
                            + "digits and '-', starting and ending with a letter or digit)");
        }
        if (kubeconfig != null && context != null) {
            List<String> contexts = contexts(kubeconfig);
            if (!contexts.contains(context)) {
                return fail(
                        err,
                        "--context: " + context + " not found in " + kubeconfig + " (expected one of: "
                                + String.join(", ", contexts) + ")");
            }
        }
        try (KubernetesClient client = KubeClients.create(kubeconfig, context)) {
            String clusterName = name != null ? name : kubeSystemUid(client);
            String apiServer = server != null ? server : client.getMasterUrl().toString();
            String out =
                    RemoteSecrets.create(client, clusterName, namespace, serviceAccount, apiServer, tokenWaitSeconds);
            if (server == null && (apiServer.contains("127.0.0.1") || apiServer.contains("localhost"))) {
                // istioctl's warning, word for word, printed (as there) only when the Secret is.
                err.println("warn: server in Kubeconfig is " + apiServer + ". This is likely not reachable from "
                        + "inside the cluster, if you're using Kubernetes in Docker, pass --server with the container "
                        + "IP for the API Server");
                err.flush();
            }
            spec.commandLine().getOut().print(out);
            return 0;
        } catch (IllegalStateException | KubernetesClientException e) {
            return fail(err, String.valueOf(e.getMessage()));
        }
    }

    private static String kubeSystemUid(KubernetesClient client) {
        var ns = client.namespaces().withName("kube-system").get();
        if (ns == null || ns.getMetadata().getUid() == null) {
            throw new IllegalStateException("--name: not given, and the kube-system namespace has no UID to name the "
                    + "cluster by (expected: --name NAME)");
        }
        return ns.getMetadata().getUid();
    }

    private static List<String> contexts(Path file) throws IOException {
        io.fabric8.kubernetes.api.model.Config config = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                Files.readString(file, StandardCharsets.UTF_8), io.fabric8.kubernetes.api.model.Config.class);
        List<String> out = new ArrayList<>();
        if (config != null && config.getContexts() != null) {
            config.getContexts().forEach(c -> out.add(c.getName()));
        }
        return out;
    }

    private static int fail(PrintWriter err, String message) {
        err.println("error: " + message);
        err.flush();
        return 1;
    }
}
