package io.zonemesh.cli;

import io.zonemesh.common.Clock;
import io.zonemesh.security.ca.CaFiles;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zonemesh ca root|intermediate}: Istio's {@code tools/certs} Makefile ({@code make root-ca},
 * {@code make <cluster>-cacerts}) without openssl. One root for the mesh, one intermediate per cluster;
 * each cluster's control plane reads its folder as the {@code cacerts} Secret, and workloads of all
 * clusters trust each other through the shared root.
 */
@Command(
        name = "ca",
        mixinStandardHelpOptions = true,
        description = "Make a mesh root CA and per-cluster intermediate CAs (Istio's cacerts files).",
        subcommands = {CaCommand.Root.class, CaCommand.Intermediate.class})
final class CaCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code make root-ca}. */
    @Command(
            name = "root",
            mixinStandardHelpOptions = true,
            description = "Write root-cert.pem and root-key.pem (RSA, O=Istio, CN=Root CA, 10 years).")
    static final class Root implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, description = "The folder to write to (created if missing).")
        Path out;

        @Option(
                names = "--key-size",
                defaultValue = "4096",
                description = "RSA key bits (ROOTCA_KEYSZ, default ${DEFAULT-VALUE}).")
        int keySize;

        @Override
        public Integer call() {
            return CaCommand.guarded(spec, () -> {
                CaFiles.writeRoot(out, Clock.system(), new SecureRandom(), keySize);
                PrintWriter w = spec.commandLine().getOut();
                w.println("wrote " + out.resolve("root-cert.pem") + " and " + out.resolve("root-key.pem"));
                w.println("keep root-key.pem offline; make each cluster's CA with:");
                w.println("  zonemesh ca intermediate --root " + out + " --cluster <name> --out <dir>");
            });
        }
    }

    /** {@code make <cluster>-cacerts}. */
    @Command(
            name = "intermediate",
            mixinStandardHelpOptions = true,
            description = "Write a cluster's ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem, "
                    + "signed by the root in --root, and print the kubectl line that installs them.")
    static final class Intermediate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--root", required = true, description = "The folder `zonemesh ca root` wrote.")
        Path root;

        @Option(names = "--cluster", required = true, description = "The cluster's name (the certificate's L=).")
        String cluster;

        @Option(names = "--out", required = true, description = "The folder to write to (created if missing).")
        Path out;

        @Option(
                names = {"-n", "--namespace"},
                defaultValue = "zonemesh-system",
                description = "The control plane's namespace, for the printed kubectl line (default ${DEFAULT-VALUE}; "
                        + "istio-system for istiod).")
        String namespace;

        @Option(
                names = "--key-size",
                defaultValue = "4096",
                description = "RSA key bits (INTERMEDIATE_KEYSZ, default ${DEFAULT-VALUE}).")
        int keySize;

        @Override
        public Integer call() {
            return CaCommand.guarded(spec, () -> {
                CaFiles.writeIntermediate(root, cluster, out, Clock.system(), new SecureRandom(), keySize);
                PrintWriter w = spec.commandLine().getOut();
                w.println("wrote " + out.resolve("ca-cert.pem") + ", ca-key.pem, root-cert.pem and cert-chain.pem");
                w.println("install them in cluster " + cluster + " before the control plane starts:");
                w.println("kubectl create secret generic cacerts -n " + namespace
                        + " --from-file=" + out.resolve("ca-cert.pem")
                        + " --from-file=" + out.resolve("ca-key.pem")
                        + " --from-file=" + out.resolve("root-cert.pem")
                        + " --from-file=" + out.resolve("cert-chain.pem"));
            });
        }
    }

    /** Bad input (missing root files, a folder that already holds a CA) is an error line and exit 1. */
    private static int guarded(CommandSpec spec, Runnable action) {
        try {
            action.run();
            return 0;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            spec.commandLine().getErr().println("zonemesh ca: " + e.getMessage());
            return 1;
        }
    }
}
