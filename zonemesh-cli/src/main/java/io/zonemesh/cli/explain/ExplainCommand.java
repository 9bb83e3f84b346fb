package io.zonemesh.cli.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.cli.mesh.PodResolver;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zonemesh x explain POD[.NAMESPACE] HOST[:PORT]}: the priority table a proxy gets for a
 * service and the rule behind each locality. The running mesh's control plane computes it
 * ({@code /debug/explain}) with the code that generates its EDS, from the state it last pushed.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = "Show the priorities, weights and endpoints a proxy gets for a service, and which locality rule"
                + " put each locality there.")
public final class ExplainCommand implements Callable<Integer> {
    /** The mesh state file does not carry the domain suffix; zonemesh up always uses Kubernetes' default. */
    private static final String DOMAIN_SUFFIX = "svc.cluster.local";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "POD[.NAMESPACE]", description = "The calling proxy (or deployment/NAME).")
    String proxy;

    @Parameters(
            index = "1",
            paramLabel = "HOST[:PORT]",
            description = "The destination service (NAME[.NAMESPACE] or FQDN).")
    String host;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            description = "table or json.")
    String output;

    @Option(names = "--subset", description = "A DestinationRule subset.")
    String subset;

    @Option(names = "--state-dir", description = "Where `zonemesh up` recorded the mesh.")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!output.equals("table") && !output.equals("json")) {
            err.println("zonemesh x explain: -o: " + output + " (expected: table or json)");
            return 2;
        }
        Optional<MeshStateFile> mesh = MeshStateFile.find(stateDir != null ? stateDir : MeshStateFile.defaultDir());
        if (mesh.isEmpty()) {
            err.println("zonemesh x explain: no running mesh found; start one with `zonemesh up -f DIR`");
            return 3;
        }
        MeshStateFile.Proxy p;
        try {
            p = PodResolver.resolve(mesh.get().proxies(), proxy);
        } catch (IllegalArgumentException e) {
            err.println("zonemesh x explain: " + e.getMessage());
            return 2;
        }
        String query = "proxy=" + encode(p.pod() + "." + p.namespace()) + hostQuery(host, p.namespace())
                + (subset == null ? "" : "&subset=" + encode(subset));
        HttpResponse<String> res = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + mesh.get().debugPort() + "/debug/explain?" + query))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            err.println("zonemesh x explain: " + res.body().strip());
            return 1;
        }
        if (output.equals("json")) {
            out.println(res.body());
        } else {
            ExplainTable.print(new ObjectMapper().readTree(res.body()), out);
        }
        return 0;
    }

    /** {@code &host=<fqdn>[&port=<n>]}: NAME and NAME.NAMESPACE expand as Kubernetes DNS does. */
    static String hostQuery(String hostPort, String proxyNamespace) {
        String hostname = hostPort;
        String port = "";
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0) {
            hostname = hostPort.substring(0, colon);
            port = hostPort.substring(colon + 1);
        }
        long dots = hostname.chars().filter(c -> c == '.').count();
        if (dots == 0) {
            hostname = hostname + "." + proxyNamespace + "." + DOMAIN_SUFFIX;
        } else if (dots == 1) {
            hostname = hostname + "." + DOMAIN_SUFFIX;
        }
        return "&host=" + encode(hostname) + (port.isEmpty() ? "" : "&port=" + encode(port));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
