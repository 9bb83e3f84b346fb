package io.zonemesh.proxy.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The capture rules of one pod as data: the {@code iptables-restore --noflush} input and, for
 * TPROXY, the {@code ip rule}/{@code ip route} commands, so that they can be printed
 * ({@code --dry-run}) and tested without root.
 *
 * <p>REDIRECT is Istio's {@code istio-iptables} nat table as is (chains ISTIO_INBOUND,
 * ISTIO_REDIRECT, ISTIO_IN_REDIRECT, ISTIO_OUTPUT; {@code tools/istio-iptables/pkg/capture/run.go},
 * compared with its {@code testdata/*.golden}), including the two rules it always writes: the
 * HBONE tunnel port {@value #TUNNEL_PORT} is never captured inbound, and connections from
 * 127.0.0.6 (the source Istio's inbound passthrough binds) are never captured outbound. TPROXY follows {@code istio-iptables -m TPROXY}
 * for inbound (mangle ISTIO_INBOUND, ISTIO_DIVERT, ISTIO_TPROXY; mark 1337, table 133 with a
 * local default route) and, unlike Istio, which keeps outbound on nat REDIRECT, captures
 * outbound with TPROXY too, so that the proxy learns every connection's original destination:
 * the application's packets are marked in mangle OUTPUT, the mark's policy route loops them
 * through {@code lo}, and PREROUTING hands them to the outbound listener.
 *
 * @param iptablesRestore the input of {@code iptables-restore --noflush}
 * @param ipCommands the {@code ip} commands to run after it (arguments after {@code ip})
 */
public record CaptureRules(String iptablesRestore, List<List<String>> ipCommands) {
    /** Istio's inbound tunnel port ({@code istio-iptables -e}, default 15008): never captured. */
    public static final int TUNNEL_PORT = 15008;

    public CaptureRules {
        ipCommands = ipCommands.stream().map(List::copyOf).toList();
    }

    /** The rules for {@code spec}. */
    public static CaptureRules of(CaptureSpec spec) {
        return spec.mode() == CaptureMode.REDIRECT ? redirect(spec) : tproxy(spec);
    }

    private static CaptureRules redirect(CaptureSpec spec) {
        List<String> r = new ArrayList<>();
        r.add("*nat");
        for (String chain : List.of("ISTIO_INBOUND", "ISTIO_REDIRECT", "ISTIO_IN_REDIRECT", "ISTIO_OUTPUT")) {
            r.add(":" + chain + " - [0:0]");
        }
        r.add("-A ISTIO_INBOUND -p tcp --dport " + TUNNEL_PORT + " -j RETURN");
        r.add("-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports " + spec.outboundPort());
        r.add("-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports " + spec.inboundPort());
        inbound(r, spec, "-j ISTIO_IN_REDIRECT");
        r.add("-A OUTPUT -p tcp -j ISTIO_OUTPUT");
        outboundPortExclusions(r, spec);
        r.add("-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN");
        // Istio's loopback rules: the proxy calling its own pod's IP goes to the inbound listener;
        // anything else on lo that is not the proxy's stays local.
        for (String owner : owners(spec)) {
            r.add("-A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -p tcp ! --dport " + TUNNEL_PORT + " -m owner " + owner
                    + " -j ISTIO_IN_REDIRECT");
            r.add("-A ISTIO_OUTPUT -o lo -m owner ! " + owner + " -j RETURN");
            r.add("-A ISTIO_OUTPUT -m owner " + owner + " -j RETURN");
        }
        r.add("-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN");
        outboundRangeExclusions(r, spec);
        outboundCapture(r, spec, "-j ISTIO_REDIRECT");
        r.add("COMMIT");
        return new CaptureRules(String.join("\n", r) + "\n", List.of());
    }

    private static CaptureRules tproxy(CaptureSpec spec) {
        String mark = String.format(Locale.ROOT, "0x%x/0xffffffff", spec.mark());
        List<String> r = new ArrayList<>();
        r.add("*mangle");
        for (String chain :
                List.of("ISTIO_INBOUND", "ISTIO_DIVERT", "ISTIO_TPROXY", "ISTIO_REDIRECT", "ISTIO_OUTPUT")) {
            r.add(":" + chain + " - [0:0]");
        }
        r.add("-A PREROUTING -p tcp -j ISTIO_INBOUND");
        // A packet of a connection already set up (the kernel's tproxy.txt DIVERT): marked so that
        // table 133 delivers it locally, and not looked at again. This must come first: TPROXY
        // drops a packet whose socket is not transparent, such as the replies to the proxy's own
        // xDS connection or to the application's uncaptured (excluded) connections.
        r.add("-A ISTIO_DIVERT -j MARK --set-xmark " + mark);
        r.add("-A ISTIO_DIVERT -j ACCEPT");
        r.add("-A ISTIO_INBOUND -p tcp -m conntrack --ctstate RELATED,ESTABLISHED -j ISTIO_DIVERT");
        // The application's outbound packets, marked in OUTPUT and looped back through lo.
        r.add("-A ISTIO_INBOUND -i lo -p tcp -m mark --mark " + mark + " -j ISTIO_REDIRECT");
        // Anything else on lo (the proxy calling the application, the pod calling itself) is local.
        r.add("-A ISTIO_INBOUND -i lo -j RETURN");
        inbound(r, spec, "-j ISTIO_TPROXY");
        r.add("-A ISTIO_TPROXY ! -d 127.0.0.1/32 -p tcp -j TPROXY --on-port " + spec.inboundPort()
                + " --on-ip 0.0.0.0 --tproxy-mark " + mark);
        r.add("-A ISTIO_REDIRECT -p tcp -j TPROXY --on-port " + spec.outboundPort() + " --on-ip 0.0.0.0 --tproxy-mark "
                + mark);
        r.add("-A OUTPUT -p tcp -j ISTIO_OUTPUT");
        // Unlike nat, which sees only a connection's first packet, mangle sees every packet: the
        // pod's answers on connections it accepted (an excluded inbound port, the kernel's RST for
        // a port nothing listens on) must not be marked, or the mark's route would deliver them
        // back into the pod instead of to the caller.
        r.add("-A ISTIO_OUTPUT -m conntrack --ctdir REPLY -j RETURN");
        outboundPortExclusions(r, spec);
        for (String owner : owners(spec)) {
            r.add("-A ISTIO_OUTPUT -m owner " + owner + " -j RETURN");
        }
        // Local destinations (loopback, the pod's own IPs) are routed to lo already: never outbound.
        r.add("-A ISTIO_OUTPUT -o lo -j RETURN");
        r.add("-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN");
        outboundRangeExclusions(r, spec);
        outboundCapture(r, spec, "-j MARK --set-xmark " + mark);
        r.add("COMMIT");
        String table = Integer.toString(spec.routeTable());
        List<List<String>> ip = List.of(
                List.of("-4", "rule", "add", "fwmark", Integer.toString(spec.mark()), "lookup", table),
                List.of("-4", "route", "add", "local", "default", "dev", "lo", "table", table));
        return new CaptureRules(String.join("\n", r) + "\n", ip);
    }

    private static List<String> owners(CaptureSpec spec) {
        return List.of("--uid-owner " + spec.proxyUid(), "--gid-owner " + spec.proxyGid());
    }

    /** Inbound: excluded ports return; then every port (or the listed ones) is captured. */
    private static void inbound(List<String> r, CaptureSpec spec, String capture) {
        if (spec.mode() == CaptureMode.REDIRECT) {
            r.add("-A PREROUTING -p tcp -j ISTIO_INBOUND");
        }
        if (spec.mode() == CaptureMode.TPROXY) {
            // Istio writes this RETURN in the nat table even in TPROXY mode, where nothing jumps to
            // it; here it is where it takes effect, so that the tunnel port is never captured.
            r.add("-A ISTIO_INBOUND -p tcp --dport " + TUNNEL_PORT + " -j RETURN");
        }
        List<Integer> include = spec.includeInboundPorts();
        if (include == null) {
            for (int port : spec.excludeInboundPorts()) {
                r.add("-A ISTIO_INBOUND -p tcp --dport " + port + " -j RETURN");
            }
            r.add("-A ISTIO_INBOUND -p tcp " + capture);
        } else {
            for (int port : include) {
                if (!spec.excludeInboundPorts().contains(port)) {
                    r.add("-A ISTIO_INBOUND -p tcp --dport " + port + " " + capture);
                }
            }
        }
    }

    /** Port exclusions come first in Istio's order; address exclusions after the loopback rules. */
    private static void outboundPortExclusions(List<String> r, CaptureSpec spec) {
        for (int port : spec.excludeOutboundPorts()) {
            r.add("-A ISTIO_OUTPUT -p tcp --dport " + port + " -j RETURN");
        }
    }

    private static void outboundRangeExclusions(List<String> r, CaptureSpec spec) {
        for (String cidr : spec.excludeOutboundIpRanges()) {
            r.add("-A ISTIO_OUTPUT -d " + cidr + " -j RETURN");
        }
    }

    private static void outboundCapture(List<String> r, CaptureSpec spec, String capture) {
        List<String> include = spec.includeOutboundIpRanges();
        if (include == null) {
            r.add("-A ISTIO_OUTPUT -p tcp " + capture);
        } else {
            for (String cidr : include) {
                r.add("-A ISTIO_OUTPUT -d " + cidr + " -p tcp " + capture);
            }
        }
    }
}
