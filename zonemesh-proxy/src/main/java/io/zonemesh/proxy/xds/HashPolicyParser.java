package io.zonemesh.proxy.xds;

import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.HashPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Parses a route's {@code hash_policy} list; filter-state hashing is not supported. */
final class HashPolicyParser {
    private HashPolicyParser() {}

    static List<HashPolicy> parse(List<RouteAction.HashPolicy> protos, ValidationErrors errors, String path) {
        List<HashPolicy> out = new ArrayList<>();
        for (int i = 0; i < protos.size(); i++) {
            HashPolicy policy = parse(protos.get(i), errors, path + "[" + i + "]");
            if (policy != null) {
                out.add(policy);
            }
        }
        return out;
    }

    private static @Nullable HashPolicy parse(RouteAction.HashPolicy proto, ValidationErrors errors, String path) {
        boolean terminal = proto.getTerminal();
        switch (proto.getPolicySpecifierCase()) {
            case HEADER -> {
                RouteAction.HashPolicy.Header header = proto.getHeader();
                if (header.getHeaderName().isEmpty()) {
                    errors.add(path + ".header.header_name", "\"\"", "non-empty");
                    return null;
                }
                io.zonemesh.proxy.config.RouteAction.RegexRewrite rewrite = null;
                if (header.hasRegexRewrite()) {
                    Pattern pattern = MatcherParser.regex(
                            header.getRegexRewrite().getPattern(), errors, path + ".header.regex_rewrite.pattern");
                    if (pattern == null) {
                        return null;
                    }
                    rewrite = new io.zonemesh.proxy.config.RouteAction.RegexRewrite(
                            pattern, header.getRegexRewrite().getSubstitution());
                }
                return new HashPolicy.Header(header.getHeaderName(), rewrite, terminal);
            }
            case COOKIE -> {
                RouteAction.HashPolicy.Cookie cookie = proto.getCookie();
                if (cookie.getName().isEmpty()) {
                    errors.add(path + ".cookie.name", "\"\"", "non-empty");
                    return null;
                }
                if (cookie.getAttributesCount() > 0) {
                    errors.add(
                            path + ".cookie.attributes",
                            cookie.getAttributesCount() + " attributes",
                            "none (not supported by zonemesh-proxy)");
                    return null;
                }
                Duration ttl =
                        cookie.hasTtl() ? ProtoValues.duration(cookie.getTtl(), errors, path + ".cookie.ttl") : null;
                if (cookie.hasTtl() && ttl == null) {
                    return null;
                }
                return new HashPolicy.Cookie(cookie.getName(), ttl, cookie.getPath(), terminal);
            }
            case CONNECTION_PROPERTIES -> {
                if (!proto.getConnectionProperties().getSourceIp()) {
                    errors.add(path + ".connection_properties.source_ip", false, "true");
                    return null;
                }
                return new HashPolicy.SourceIp(terminal);
            }
            case QUERY_PARAMETER -> {
                if (proto.getQueryParameter().getName().isEmpty()) {
                    errors.add(path + ".query_parameter.name", "\"\"", "non-empty");
                    return null;
                }
                return new HashPolicy.QueryParameter(proto.getQueryParameter().getName(), terminal);
            }
            default -> {
                errors.add(
                        path,
                        proto.getPolicySpecifierCase(),
                        "header, cookie, connection_properties or query_parameter");
                return null;
            }
        }
    }
}
