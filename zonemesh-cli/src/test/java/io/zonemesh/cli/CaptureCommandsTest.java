package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code zonemesh proxy-init --dry-run} and {@code zonemesh kube-inject}, in-process. */
class CaptureCommandsTest {
    @TempDir
    Path dir;

    private static String run(Object command, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        assertThat(exit).as("exit code; stderr: %s", err).isZero();
        return out.toString();
    }

    @Test
    void proxyInitDryRunPrintsTheRulesForTheInjectedArguments() {
        String rules = run(
                new ProxyInitCommand(),
                "--dry-run",
                "--mode",
                "TPROXY",
                "--proxy-uid",
                "1337",
                "--outbound-port",
                "15001",
                "--inbound-port",
                "15006",
                "--include-outbound-ip-ranges",
                "*",
                "--include-inbound-ports",
                "*",
                "--exclude-inbound-ports",
                "9090",
                "--exclude-outbound-ports",
                "5432,6379");
        assertThat(rules)
                .startsWith("*mangle\n")
                .contains("-A ISTIO_INBOUND -p tcp --dport 9090 -j RETURN\n")
                .contains("-A ISTIO_OUTPUT -p tcp --dport 6379 -j RETURN\n")
                .contains("-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN\n")
                .endsWith("COMMIT\n# ip -4 rule add fwmark 1337 lookup 133\n"
                        + "# ip -4 route add local default dev lo table 133\n");
    }

    @Test
    void proxyInitTakesIstioIptablesShortFlags() {
        String rules = run(
                new ProxyInitCommand(),
                "--dry-run",
                "-m",
                "REDIRECT",
                "-p",
                "15001",
                "-z",
                "15006",
                "-u",
                "1337",
                "-i",
                "10.0.0.0/8",
                "-x",
                "",
                "-b",
                "*",
                "-d",
                "15020");
        assertThat(rules)
                .startsWith("*nat\n")
                .contains("-A ISTIO_OUTPUT -d 10.0.0.0/8 -p tcp -j ISTIO_REDIRECT\n")
                .contains("-A ISTIO_INBOUND -p tcp --dport 15020 -j RETURN\n");
    }

    @Test
    void kubeInjectPrintsTheFileWithTheSidecar() throws Exception {
        Path file = dir.resolve("pod.yaml");
        Files.writeString(
                file,
                "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: v1\nkind: Pod\n"
                        + "metadata: {name: p, namespace: sample}\nspec:\n  containers:\n  - name: app\n    image: busybox\n",
                StandardCharsets.UTF_8);
        String out = run(new KubeInjectCommand(), "-f", file.toString(), "--xds", "cp.example:15010");
        assertThat(out)
                .startsWith("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\n")
                .contains("- name: zonemesh-proxy")
                .contains("- name: zonemesh-init")
                .contains("- cp.example:15010");
    }
}
