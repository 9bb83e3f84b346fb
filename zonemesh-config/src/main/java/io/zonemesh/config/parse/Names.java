package io.zonemesh.config.parse;

import io.zonemesh.common.Nullable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Syntax checks shared by the parsers, each returning null when the value is fine or the
 * "value (expected: ...)" message otherwise. They follow Kubernetes' apimachinery validation and
 * Istio's {@code pkg/config/validation} helpers of the same names.
 */
public final class Names {
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern IANA_SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?");
    // Constructs Java's regex engine accepts but RE2 (Envoy's safe_regex) rejects.
    private static final Pattern NOT_RE2 = Pattern.compile("\\(\\?<?[=!]|\\\\[1-9]|\\(\\?>|[*+?}]\\+");

    /** Istio's protocol names ({@code pkg/config/protocol}), compared case-insensitively. */
    public static final Set<String> PROTOCOLS = Set.of(
            "HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "HTTP_PROXY", "TLS", "TCP", "UDP", "MONGO", "REDIS", "MYSQL");

    private Names() {}

    public static @Nullable String dns1123Label(String s) {
        return s.length() <= 63 && DNS1123_LABEL.matcher(s).matches()
                ? null
                : quote(s) + " (expected: lowercase letters, digits and '-', starting and ending alphanumeric, "
                        + "at most 63 characters)";
    }

    /** Kubernetes Service names: a DNS-1035 label (must start with a letter). */
    public static @Nullable String dns1035Label(String s) {
        return s.length() <= 63 && DNS1035_LABEL.matcher(s).matches()
                ? null
                : quote(s) + " (expected: lowercase letters, digits and '-', starting with a letter, "
                        + "at most 63 characters)";
    }

    public static @Nullable String dns1123Subdomain(String s) {
        return s.length() <= 253 && DNS1123_SUBDOMAIN.matcher(s).matches()
                ? null
                : quote(s) + " (expected: lowercase letters, digits, '-' and '.', at most 253 characters)";
    }

    /**
     * Istio's {@code ValidateWildcardDomain}: DNS-1123 labels, where only the first label may be
     * {@code *} or start with {@code *} (e.g. {@code *.example.com}); a single trailing dot is
     * allowed.
     */
    public static @Nullable String wildcardDomain(String host) {
        if (host.isEmpty() || host.length() > 255) {
            return quote(host) + " (expected: a host name of 1..255 characters)";
        }
        String[] labels = host.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            boolean lastEmpty = i == labels.length - 1 && label.isEmpty() && i > 0;
            boolean wildcard = i == 0
                    && (label.equals("*")
                            || (label.startsWith("*")
                                    && DNS1123_LABEL
                                            .matcher(label.substring(1).toLowerCase(Locale.ROOT))
                                            .matches()));
            if (!lastEmpty
                    && !wildcard
                    && !(label.length() <= 63
                            && DNS1123_LABEL
                                    .matcher(label.toLowerCase(Locale.ROOT))
                                    .matches())) {
                return quote(host) + " (expected: a DNS name such as reviews, reviews.prod.svc.cluster.local or "
                        + "*.example.com; label " + quote(label) + " is invalid)";
            }
        }
        return null;
    }

    /** An IPv4 or IPv6 literal; parsed by hand, so nothing is ever resolved. */
    public static boolean isIp(String s) {
        return IPV4.matcher(s).matches() || isIpv6(s);
    }

    private static boolean isIpv6(String s) {
        if (!IPV6.matcher(s).matches()) {
            return false;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        List<String> pieces = new ArrayList<>();
        for (String part : doubleColon < 0
                ? new String[] {s}
                : new String[] {s.substring(0, doubleColon), s.substring(doubleColon + 2)}) {
            if (!part.isEmpty()) {
                pieces.addAll(Arrays.asList(part.split(":", -1)));
            }
        }
        int groups = 0;
        for (int i = 0; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            if (i == pieces.size() - 1 && piece.contains(".")) {
                if (!IPV4.matcher(piece).matches()) {
                    return false;
                }
                groups += 2; // an embedded IPv4 address fills two groups
            } else if (piece.isEmpty()
                    || piece.length() > 4
                    || !piece.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return false;
            } else {
                groups++;
            }
        }
        return doubleColon >= 0 ? groups < 8 : groups == 8;
    }

    /** An IP address or a CIDR block such as {@code 10.0.0.0/8}. */
    public static boolean isIpOrCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return isIp(s);
        }
        String bits = s.substring(slash + 1);
        if (!bits.matches("\\d{1,3}")) {
            return false;
        }
        String ip = s.substring(0, slash);
        int max = ip.contains(":") ? 128 : 32;
        return isIp(ip) && Integer.parseInt(bits) <= max;
    }

    /** A Kubernetes label key: an optional DNS subdomain prefix and {@code /}, then a name. */
    public static @Nullable String labelKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        boolean prefixOk = slash < 0 || dns1123Subdomain(key.substring(0, slash)) == null;
        return prefixOk
                        && !name.isEmpty()
                        && name.length() <= 63
                        && LABEL_NAME.matcher(name).matches()
                ? null
                : quote(key) + " (expected: a label key such as app or topology.kubernetes.io/zone)";
    }

    public static @Nullable String labelValue(String value) {
        return value.length() <= 63 && LABEL_VALUE.matcher(value).matches()
                ? null
                : quote(value) + " (expected: a label value of at most 63 letters, digits, '-', '_' and '.', "
                        + "starting and ending alphanumeric)";
    }

    /** A container port name ({@code IANA_SVC_NAME}): what a Service's targetPort may name. */
    public static @Nullable String ianaServiceName(String s) {
        return IANA_SVC_NAME.matcher(s).matches() && s.chars().anyMatch(Character::isLetter) && !s.contains("--")
                ? null
                : quote(s) + " (expected: a port name of at most 15 lowercase letters, digits and '-')";
    }

    /**
     * Compiles {@code regex} the way Envoy's {@code safe_regex} (RE2) would accept it; Java's
     * engine is close, but look-around, back references, atomic groups and possessive
     * quantifiers are RE2 errors.
     */
    public static @Nullable String regex(String regex) {
        if (regex.isEmpty()) {
            return "\"\" (expected: a non-empty RE2 regular expression)";
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return quote(regex) + " (expected: a valid RE2 regular expression; " + e.getDescription() + " near index "
                    + e.getIndex() + ")";
        }
        if (NOT_RE2.matcher(regex).find()) {
            return quote(regex) + " (expected: a valid RE2 regular expression; look-around, back references, "
                    + "atomic groups and possessive quantifiers are not supported)";
        }
        return null;
    }

    public static @Nullable String protocol(String protocol) {
        return PROTOCOLS.contains(protocol.toUpperCase(Locale.ROOT))
                ? null
                : quote(protocol) + " (expected: one of " + new java.util.TreeSet<>(PROTOCOLS) + ")";
    }

    static String quote(String s) {
        return '"' + s + '"';
    }
}
