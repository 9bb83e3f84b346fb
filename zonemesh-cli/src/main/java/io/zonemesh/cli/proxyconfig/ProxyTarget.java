package io.zonemesh.cli.proxyconfig;

import io.zonemesh.cli.HostPortOption;
import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.cli.mesh.PodResolver;
import io.zonemesh.common.Nullable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * Which proxy a {@code proxy-config} command reads: a pod of the running {@code zonemesh up} mesh
 * (its admin port from the mesh state file), or any proxy's admin API by address (a Kubernetes
 * pod through {@code kubectl port-forward POD 15000}).
 */
final class ProxyTarget {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "[deployment/]POD[.NAMESPACE]",
            description =
                    "A proxy of the running `zonemesh up` mesh (without .NAMESPACE: searched in every namespace).")
    @Nullable
    String pod;

    @Option(
            names = "--admin",
            paramLabel = "HOST:PORT",
            description = "Read this admin API instead (e.g. 127.0.0.1:15000 after `kubectl port-forward POD 15000`).")
    @Nullable
    String admin;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where `zonemesh up` recorded the mesh.")
    @Nullable
    Path stateDir;

    /** The admin client of the named proxy; naming none or both is a usage error. */
    AdminClient client(CommandSpec spec) throws IOException {
        String p = pod;
        String a = admin;
        if ((p == null) == (a == null)) {
            throw new ParameterException(
                    spec.commandLine(), "give a pod or --admin HOST:PORT (expected: exactly one of them)");
        }
        if (p == null) {
            InetSocketAddress address = HostPortOption.parse(spec, "--admin", String.valueOf(a));
            String hostPort = address.getHostString() + ":" + address.getPort();
            return new AdminClient(hostPort, hostPort);
        }
        Path dir = stateDir != null ? stateDir : MeshStateFile.defaultDir();
        Optional<MeshStateFile> mesh = MeshStateFile.find(dir);
        if (mesh.isEmpty()) {
            throw new IllegalStateException("no running mesh found in " + dir
                    + "; start one with `zonemesh up -f DIR`, or name a proxy's admin API with --admin HOST:PORT");
        }
        MeshStateFile.Proxy proxy = PodResolver.resolve(mesh.get().proxies(), p);
        return new AdminClient("127.0.0.1:" + proxy.adminPort(), proxy.pod() + "." + proxy.namespace());
    }
}
