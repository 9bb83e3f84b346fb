package io.zonemesh.proxy.capture;

import io.zonemesh.common.Nullable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to capture, as {@code istio-iptables} takes it: the proxy's UID and GID (never captured),
 * its two ports, and the traffic annotations' lists. An include list is {@code null} for Istio's
 * {@code *} (everything); exclude lists are empty for none.
 *
 * @param mark the packet mark of TPROXY'd packets and of the policy route (Istio's 1337)
 * @param routeTable the routing table holding TPROXY's local route (Istio's 133)
 */
public record CaptureSpec(
        CaptureMode mode,
        int proxyUid,
        int proxyGid,
        int outboundPort,
        int inboundPort,
        @Nullable List<String> includeOutboundIpRanges,
        List<String> excludeOutboundIpRanges,
        @Nullable List<Integer> includeInboundPorts,
        List<Integer> excludeInboundPorts,
        List<Integer> excludeOutboundPorts,
        int mark,
        int routeTable) {
    private static final Pattern CIDR =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}(/(3[0-2]|[12]?\\d))?");

    public CaptureSpec {
        Objects.requireNonNull(mode, "mode");
        includeOutboundIpRanges = includeOutboundIpRanges == null ? null : List.copyOf(includeOutboundIpRanges);
        excludeOutboundIpRanges = List.copyOf(excludeOutboundIpRanges);
        includeInboundPorts = includeInboundPorts == null ? null : List.copyOf(includeInboundPorts);
        excludeInboundPorts = List.copyOf(excludeInboundPorts);
        excludeOutboundPorts = List.copyOf(excludeOutboundPorts);
        checkPort("outboundPort", outboundPort);
        checkPort("inboundPort", inboundPort);
        if (proxyUid < 1 || proxyGid < 1) {
            throw new IllegalArgumentException("proxyUid/proxyGid: " + proxyUid + "/" + proxyGid
                    + " (expected: the proxy's non-root UID and GID)");
        }
    }

    /** Istio's defaults: UID and GID 1337, ports 15001 and 15006, everything captured. */
    public static CaptureSpec defaults(CaptureMode mode) {
        return new CaptureSpec(mode, 1337, 1337, 15001, 15006, null, List.of(), null, List.of(), List.of(), 1337, 133);
    }

    /** An include list as the annotation spells it: {@code *} is everything, empty is nothing. */
    public static @Nullable List<String> includeRanges(String text) {
        return text.trim().equals("*") ? null : ranges("includeOutboundIPRanges", text);
    }

    /** A comma-separated list of IPv4 addresses or CIDRs ({@code ""} for none). */
    public static List<String> ranges(String what, String text) {
        List<String> out = new ArrayList<>();
        for (String item : split(text)) {
            if (!CIDR.matcher(item).matches()) {
                throw new IllegalArgumentException(what + ": " + item + " (expected: an IPv4 address or CIDR)");
            }
            out.add(item.contains("/") ? item : item + "/32");
        }
        return out;
    }

    /** An include port list: {@code *} is every port. */
    public static @Nullable List<Integer> includePorts(String text) {
        return text.trim().equals("*") ? null : ports("includeInboundPorts", text);
    }

    /** A comma-separated list of ports ({@code ""} for none). */
    public static List<Integer> ports(String what, String text) {
        List<Integer> out = new ArrayList<>();
        for (String item : split(text)) {
            int port;
            try {
                port = Integer.parseInt(item);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": " + item + " (expected: a port 1..65535)", e);
            }
            checkPort(what, port);
            out.add(port);
        }
        return out;
    }

    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            if (!item.isBlank()) {
                out.add(item.trim());
            }
        }
        return out;
    }

    private static void checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + ": " + port + " (expected: a port 1..65535)");
        }
    }
}
