package io.zonemesh.proxy.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden files of the iptables-restore input; {@code -Dzonemesh.golden.update=true} rewrites
 * them. Istio's REDIRECT rules are compared line by line with istio-iptables' output.
 */
class CaptureRulesTest {
    private static final Path ROOT = Path.of("src", "test", "resources", "capture");

    /** The traffic annotations of the injection golden file. */
    static CaptureSpec annotated(CaptureMode mode) {
        return new CaptureSpec(
                mode,
                1337,
                1337,
                15001,
                15006,
                CaptureSpec.includeRanges("10.0.0.0/8,172.16.0.0/12"),
                CaptureSpec.ranges("x", "10.96.0.1"),
                null,
                CaptureSpec.ports("x", "9090"),
                CaptureSpec.ports("x", "5432,6379"),
                1337,
                133);
    }

    @Test
    void redirectModeIsIstiosNatTable() throws IOException {
        assertGolden("redirect-default.rules", CaptureRules.of(CaptureSpec.defaults(CaptureMode.REDIRECT)));
        assertGolden("redirect-annotated.rules", CaptureRules.of(annotated(CaptureMode.REDIRECT)));
    }

    @Test
    void tproxyModeMarksAndRoutesThroughTable133() throws IOException {
        CaptureRules rules = CaptureRules.of(CaptureSpec.defaults(CaptureMode.TPROXY));
        assertGolden("tproxy-default.rules", rules);
        assertGolden("tproxy-annotated.rules", CaptureRules.of(annotated(CaptureMode.TPROXY)));
        assertThat(rules.ipCommands())
                .containsExactly(
                        List.of("-4", "rule", "add", "fwmark", "1337", "lookup", "133"),
                        List.of("-4", "route", "add", "local", "default", "dev", "lo", "table", "133"));
    }

    @Test
    void istiosTunnelPortIsNeverCapturedInboundInEitherMode() {
        for (CaptureMode mode : CaptureMode.values()) {
            String rules = CaptureRules.of(CaptureSpec.defaults(mode)).iptablesRestore();
            String tunnel = "-A ISTIO_INBOUND -p tcp --dport 15008 -j RETURN\n";
            String capture = mode == CaptureMode.REDIRECT
                    ? "-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT\n"
                    : "-A ISTIO_INBOUND -p tcp -j ISTIO_TPROXY\n";
            assertThat(rules).as("%s", mode).contains(tunnel, capture);
            assertThat(rules.indexOf(tunnel)).as("%s", mode).isLessThan(rules.indexOf(capture));
        }
    }

    @Test
    void includeInboundPortsCaptureOnlyThosePorts() {
        CaptureSpec spec = new CaptureSpec(
                CaptureMode.REDIRECT,
                1337,
                1337,
                15001,
                15006,
                null,
                List.of(),
                CaptureSpec.includePorts("5000,8080"),
                CaptureSpec.ports("x", "8080"),
                List.of(),
                1337,
                133);
        assertThat(CaptureRules.of(spec).iptablesRestore())
                .contains("-A ISTIO_INBOUND -p tcp --dport 5000 -j ISTIO_IN_REDIRECT\n")
                .doesNotContain("--dport 8080")
                .doesNotContain("-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT");
    }

    @Test
    void rejectsMalformedListsNamingTheItem() {
        assertThatThrownBy(() -> CaptureSpec.ranges("excludeOutboundIPRanges", "10.0.0.0/8, 300.1.1.1"))
                .hasMessage("excludeOutboundIPRanges: 300.1.1.1 (expected: an IPv4 address or CIDR)");
        assertThatThrownBy(() -> CaptureSpec.ports("excludeInboundPorts", "80,http"))
                .hasMessage("excludeInboundPorts: http (expected: a port 1..65535)");
        assertThatThrownBy(() -> CaptureMode.parse("tun"))
                .hasMessage("capture mode: tun (expected: TPROXY or REDIRECT)");
    }

    private static void assertGolden(String name, CaptureRules rules) throws IOException {
        StringBuilder text = new StringBuilder(rules.iptablesRestore());
        rules.ipCommands()
                .forEach(c -> text.append("# ip ").append(String.join(" ", c)).append('\n'));
        Path file = ROOT.resolve(name);
        if (Boolean.getBoolean("zonemesh.golden.update")) {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return;
        }
        assertThat(text.toString())
                .as("differs from %s; run with -Dzonemesh.golden.update=true and review", file)
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
