package io.zonemesh.cli;

import io.zonemesh.kube.inject.InjectionConfig;
import io.zonemesh.kube.inject.KubeInjector;
import io.zonemesh.kube.inject.SidecarInjector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zonemesh kube-inject -f FILE}: {@code istioctl kube-inject} for zonemesh. Prints the
 * file's documents with the sidecar added where Istio's injection rules say so; the pod is the
 * one the injection webhook produces.
 */
@Command(
        name = "kube-inject",
        mixinStandardHelpOptions = true,
        description = "Print Kubernetes YAML with the zonemesh sidecar injected (as the webhook would).")
final class KubeInjectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--filename"},
            required = true,
            description = "The YAML file; - for standard input.")
    String file;

    @Option(
            names = "--xds",
            defaultValue = InjectionConfig.DEFAULT_CONTROL_PLANE,
            description = "The control plane address the sidecar connects to (default ${DEFAULT-VALUE}).")
    String xds;

    @Option(
            names = "--image",
            defaultValue = InjectionConfig.DEFAULT_IMAGE,
            description = "The zonemesh image of the sidecar and init containers (default ${DEFAULT-VALUE}).")
    String image;

    @Override
    public Integer call() throws IOException {
        String yaml = file.equals("-")
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        InjectionConfig config =
                InjectionConfig.defaults().withControlPlane(xds).withImage(image);
        spec.commandLine().getOut().print(new KubeInjector(new SidecarInjector(config)).inject(yaml));
        return 0;
    }
}
