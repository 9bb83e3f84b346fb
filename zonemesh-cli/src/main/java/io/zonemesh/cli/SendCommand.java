package io.zonemesh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.common.Nullable;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zonemesh send}: requests through one workload's sidecar in the running local mesh. */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = "Send N requests through a workload's sidecar in the running local mesh and count the answers.")
final class SendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--from",
            paramLabel = "NAMESPACE/DEPLOYMENT",
            description = "The calling workload (a Deployment or pod name) whose sidecar sends the requests.")
    String from;

    @Option(
            names = "--gateway",
            paramLabel = "NAMESPACE/NAME",
            description = "Enter the mesh through the ingress gateway that this Gateway resource configures "
                    + "(instead of --from); the URL's host goes into Host.")
    String gateway;

    @Option(names = "--url", required = true, description = "e.g. http://helloworld.sample:5000/hello")
    URI url;

    @Option(
            names = {"-n", "--count"},
            defaultValue = "10",
            description = "Number of requests (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "-H", paramLabel = "'Name: value'", description = "A request header (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "-X", defaultValue = "GET", description = "HTTP method (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "-d", description = "Request body.")
    String body;

    @Option(names = "--timeout", defaultValue = "PT15S", description = "Per-request timeout, ISO-8601 (default 15s).")
    Duration timeout;

    @Option(names = "--json", description = "Print {\"total\":N,\"errors\":E,\"responses\":{...}}.")
    boolean json;

    @Option(
            names = "--cluster",
            description =
                    "The cluster of --from in a mesh of `zonemesh up --cluster` (needed when it runs in several).")
    @Nullable
    String cluster;

    @Option(
            names = "--state-dir",
            description = "Where `zonemesh up` recorded the mesh (default $ZONEMESH_STATE_DIR or ~/.zonemesh).")
    Path stateDir;

    /** A sender into the gateway proxy that the Gateway selects, on the listener of the URL's port. */
    private @Nullable Sender gatewaySender(MeshStateFile mesh, String namespace, String name) {
        MeshStateFile.Gateway g = mesh.gateway(namespace, name);
        if (g == null) {
            spec.commandLine()
                    .getErr()
                    .println("zonemesh send: no Gateway " + namespace + "/" + name
                            + " in the running mesh; Gateways: "
                            + mesh.gateways().stream()
                                    .map(x -> x.namespace() + "/" + x.name())
                                    .toList());
            return null;
        }
        MeshStateFile.Proxy proxy = mesh.gatewayFor(g.selector());
        int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        Integer bound = proxy == null ? null : proxy.gatewayPorts().get(port);
        if (bound == null) {
            spec.commandLine()
                    .getErr()
                    .println("zonemesh send: Gateway " + namespace + "/" + name + " has no running "
                            + "gateway listener for port " + port
                            + (proxy == null
                                    ? " (no gateway pod matches its selector " + g.selector() + ")"
                                    : "; its ports: " + proxy.gatewayPorts().keySet()));
            return null;
        }
        return Sender.throughGateway(new InetSocketAddress("127.0.0.1", bound), timeout);
    }

    @Override
    public Integer call() throws Exception {
        if ((from == null) == (gateway == null)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "one of --from NAMESPACE/DEPLOYMENT or --gateway NAMESPACE/NAME is required");
        }
        String option = from != null ? "--from" : "--gateway";
        String value = from != null ? from : gateway;
        String[] parts = value.split("/", 2);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    option + ": '" + value
                            + "' (expected: NAMESPACE/NAME, e.g. "
                            + (from != null ? "sample/sleep-az01" : "dev/test-gateway")
                            + ")");
        }
        if (url.getScheme() == null || url.getHost() == null) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--url: '" + url + "' (expected: an absolute http URL, e.g. http://helloworld.sample:5000/hello)");
        }
        Optional<MeshStateFile> mesh = MeshStateFile.find(stateDir != null ? stateDir : MeshStateFile.defaultDir());
        if (mesh.isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println("zonemesh send: no running mesh found; start one with `zonemesh up -f DIR`");
            return 3;
        }
        Sender sender;
        if (gateway != null) {
            sender = gatewaySender(mesh.get(), parts[0], parts[1]);
            if (sender == null) {
                return 2;
            }
        } else {
            String problem = mesh.get().clusterProblem(parts[0], parts[1], cluster);
            if (problem != null) {
                spec.commandLine().getErr().println("zonemesh send: " + problem);
                return 2;
            }
            MeshStateFile.Proxy proxy = mesh.get().proxyOf(parts[0], parts[1], cluster);
            if (proxy == null) {
                spec.commandLine()
                        .getErr()
                        .println("zonemesh send: " + from + " has no sidecar in the running mesh; "
                                + "workloads with sidecars: "
                                + mesh.get().proxies().stream()
                                        .filter(p -> !p.gateway())
                                        .map(p -> p.namespace() + "/" + p.owner()
                                                + (p.cluster().isEmpty() ? "" : " (" + p.cluster() + ")"))
                                        .distinct()
                                        .toList());
                return 2;
            }
            sender = new Sender(new InetSocketAddress("127.0.0.1", proxy.outboundPort()), timeout);
        }
        SendResult result = sender.send(url, count, method, headers, body);
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(result.toJson()));
        } else {
            spec.commandLine().getOut().print(result.toText());
        }
        return result.errors() == 0 ? 0 : 1;
    }
}
