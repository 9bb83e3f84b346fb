package io.zonemesh.proxy.xds;

import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.LocalResponse;
import io.zonemesh.proxy.config.PathMatcher;
import java.nio.charset.StandardCharsets;

/** Parses the {@code redirect} and {@code direct_response} route actions. */
final class LocalResponseParser {
    private LocalResponseParser() {}

    static LocalResponse.@Nullable Redirect redirect(
            RedirectAction proto, @Nullable PathMatcher pathMatcher, ValidationErrors errors, String path) {
        int before = errors.count();
        String scheme = switch (proto.getSchemeRewriteSpecifierCase()) {
            case HTTPS_REDIRECT -> proto.getHttpsRedirect() ? "https" : null;
            case SCHEME_REDIRECT -> proto.getSchemeRedirect().isEmpty() ? null : proto.getSchemeRedirect();
            default -> null;
        };
        String redirectPath = null;
        String prefixRewrite = null;
        switch (proto.getPathRewriteSpecifierCase()) {
            case PATH_REDIRECT -> redirectPath = proto.getPathRedirect();
            case PREFIX_REWRITE -> {
                prefixRewrite = proto.getPrefixRewrite();
                if (pathMatcher instanceof PathMatcher.SafeRegex) {
                    errors.add(
                            path + ".prefix_rewrite",
                            ValidationErrors.quote(prefixRewrite),
                            "unset on a safe_regex route (Envoy rejects it too)");
                }
            }
            case PATHREWRITESPECIFIER_NOT_SET -> {}
            default ->
                errors.add(
                        path,
                        proto.getPathRewriteSpecifierCase(),
                        "path_redirect or prefix_rewrite (regex_rewrite is not supported by zonemesh-proxy)");
        }
        int status = switch (proto.getResponseCode()) {
            case MOVED_PERMANENTLY -> 301;
            case FOUND -> 302;
            case SEE_OTHER -> 303;
            case TEMPORARY_REDIRECT -> 307;
            case PERMANENT_REDIRECT -> 308;
            default -> -1;
        };
        if (status < 0) {
            errors.add(path + ".response_code", proto.getResponseCode(), "one of the five redirect codes");
        }
        if (proto.getPortRedirect() > 65535) {
            errors.add(path + ".port_redirect", proto.getPortRedirect(), "0..65535");
        }
        if (errors.count() > before) {
            return null;
        }
        return new LocalResponse.Redirect(
                scheme,
                proto.getHostRedirect().isEmpty() ? null : proto.getHostRedirect(),
                proto.getPortRedirect(),
                redirectPath,
                prefixRewrite,
                proto.getStripQuery(),
                status);
    }

    static LocalResponse.@Nullable Direct direct(DirectResponseAction proto, ValidationErrors errors, String path) {
        int before = errors.count();
        if (proto.getStatus() < 200 || proto.getStatus() > 599) {
            errors.add(path + ".status", proto.getStatus(), "200..599");
        }
        String body = "";
        if (proto.hasBody()) {
            body = switch (proto.getBody().getSpecifierCase()) {
                case INLINE_STRING -> proto.getBody().getInlineString();
                case INLINE_BYTES -> proto.getBody().getInlineBytes().toString(StandardCharsets.UTF_8);
                default -> {
                    errors.add(
                            path + ".body",
                            proto.getBody().getSpecifierCase(),
                            "inline_string or inline_bytes (files are not read for direct responses)");
                    yield "";
                }
            };
        }
        return errors.count() > before ? null : new LocalResponse.Direct(proto.getStatus(), body);
    }
}
