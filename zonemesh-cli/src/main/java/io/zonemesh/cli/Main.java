package io.zonemesh.cli;

import io.zonemesh.proxy.identity.JdkTlsSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code zonemesh} command. */
@Command(
        name = "zonemesh",
        mixinStandardHelpOptions = true,
        version = "zonemesh 0.1.0",
        description = "Locality-first service mesh: Istio traffic API in, Envoy xDS out.",
        subcommands = {
            UpCommand.class,
            SendCommand.class,
            DemoCommand.class,
            AnalyzeCommand.class,
            ProxyStatusCommand.class,
            io.zonemesh.cli.proxyconfig.ProxyConfigCommand.class,
            ProxyCommand.class,
            TrafficCommand.class,
            ControlPlaneCommand.class,
            KubeInjectCommand.class,
            CreateRemoteSecretCommand.class,
            ProxyInitCommand.class,
            CaCommand.class,
            io.zonemesh.cli.explain.XCommand.class,
            io.zonemesh.cli.top.TopCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Before any TLS server of this process starts (the control plane's 15012 does so before
        // `up` loads a proxy class): Istio's SNI names must not fail a JDK server's handshake.
        JdkTlsSettings.apply();
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this in-process). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("zonemesh: " + ex.getMessage());
            return 1;
        });
        int exit = cl.execute(args);
        // Commands print through picocli's writers; flush before the JVM exits.
        cl.getOut().flush();
        cl.getErr().flush();
        return exit;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
