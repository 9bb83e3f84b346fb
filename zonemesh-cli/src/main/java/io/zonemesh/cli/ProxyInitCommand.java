package io.zonemesh.cli;

import io.zonemesh.proxy.capture.CaptureMode;
import io.zonemesh.proxy.capture.CaptureRules;
import io.zonemesh.proxy.capture.CaptureSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zonemesh proxy-init}: installs a pod's capture rules, as Istio's {@code istio-iptables}
 * in the {@code istio-init} container (its short flags work too). The rules are
 * {@link CaptureRules}; {@code --dry-run} prints them instead of applying them.
 */
@Command(
        name = "proxy-init",
        mixinStandardHelpOptions = true,
        description = "Install the iptables rules that send a pod's TCP traffic through its zonemesh proxy "
                + "(run as root with NET_ADMIN in the pod's network namespace).")
final class ProxyInitCommand implements Callable<Integer> {
    /** Bounds each iptables-restore / ip run: they take milliseconds, a hang is a broken host. */
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-m", "--mode"},
            defaultValue = "TPROXY",
            description =
                    "TPROXY (default; the proxy sees original destinations) or REDIRECT (Istio's default; HTTP only).")
    String mode;

    @Option(
            names = {"-u", "--proxy-uid"},
            defaultValue = "1337",
            description = "The proxy's UID, never captured (default ${DEFAULT-VALUE}).")
    int proxyUid;

    @Option(
            names = {"-g", "--proxy-gid"},
            description = "The proxy's GID, never captured (default: the UID).")
    Integer proxyGid;

    @Option(
            names = {"-p", "--outbound-port"},
            defaultValue = "15001",
            description = "Outbound capture port (default ${DEFAULT-VALUE}).")
    int outboundPort;

    @Option(
            names = {"-z", "--inbound-port"},
            defaultValue = "15006",
            description = "Inbound capture port (default ${DEFAULT-VALUE}).")
    int inboundPort;

    @Option(
            names = {"-i", "--include-outbound-ip-ranges"},
            defaultValue = "*",
            description = "CIDRs whose outbound traffic is captured, or * (default).")
    String includeOutboundIpRanges;

    @Option(
            names = {"-x", "--exclude-outbound-ip-ranges"},
            defaultValue = "",
            description = "CIDRs never captured.")
    String excludeOutboundIpRanges;

    @Option(
            names = {"-b", "--include-inbound-ports"},
            defaultValue = "*",
            description = "Inbound ports captured, or * (default).")
    String includeInboundPorts;

    @Option(
            names = {"-d", "--exclude-inbound-ports"},
            defaultValue = "",
            description = "Inbound ports never captured.")
    String excludeInboundPorts;

    @Option(
            names = {"-o", "--exclude-outbound-ports"},
            defaultValue = "",
            description = "Outbound ports never captured.")
    String excludeOutboundPorts;

    @Option(names = "--dry-run", description = "Print the iptables-restore input and ip commands; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException, InterruptedException {
        CaptureSpec capture = new CaptureSpec(
                CaptureMode.parse(mode),
                proxyUid,
                proxyGid == null ? proxyUid : proxyGid,
                outboundPort,
                inboundPort,
                CaptureSpec.includeRanges(includeOutboundIpRanges),
                CaptureSpec.ranges("--exclude-outbound-ip-ranges", excludeOutboundIpRanges),
                CaptureSpec.includePorts(includeInboundPorts),
                CaptureSpec.ports("--exclude-inbound-ports", excludeInboundPorts),
                CaptureSpec.ports("--exclude-outbound-ports", excludeOutboundPorts),
                1337,
                133);
        CaptureRules rules = CaptureRules.of(capture);
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            out.print(rules.iptablesRestore());
            rules.ipCommands().forEach(c -> out.println("# ip " + String.join(" ", c)));
            return 0;
        }
        run(List.of("iptables-restore", "--noflush"), rules.iptablesRestore());
        for (List<String> ip : rules.ipCommands()) {
            List<String> command = new ArrayList<>();
            command.add("ip");
            command.addAll(ip);
            run(command, "");
        }
        out.println("zonemesh proxy-init: " + capture.mode() + " capture installed (outbound → " + outboundPort
                + ", inbound → " + inboundPort + ", UID " + proxyUid + " exempt)");
        return 0;
    }

    private static void run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(
                    command.get(0) + ": cannot run (" + e.getMessage()
                            + "); the image needs iptables (nf_tables or legacy) and iproute2",
                    e);
        }
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no answer within " + COMMAND_TIMEOUT_SECONDS + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output);
        }
    }
}
