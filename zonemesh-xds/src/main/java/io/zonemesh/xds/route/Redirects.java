package io.zonemesh.xds.route;

import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.VirtualServiceConfig.Redirect;

/** VirtualService {@code redirect} to an Envoy {@code RedirectAction}, Istio's {@code ApplyRedirect}. */
public final class Redirects {
    private Redirects() {}

    /**
     * The redirect action, or null when the status code has no Envoy equivalent (Istio leaves such a
     * route without an action, which Envoy rejects; the caller drops the route instead).
     *
     * @param tls the request arrived over TLS (an HTTPS gateway server): the scheme a port-only
     *     redirect keeps
     */
    public static @Nullable RedirectAction of(Redirect redirect, boolean tls) {
        RedirectAction.RedirectResponseCode code = responseCode(redirect.redirectCode());
        if (code == null) {
            return null;
        }
        RedirectAction.Builder out = RedirectAction.newBuilder().setResponseCode(code);
        if (redirect.authority() != null && !redirect.authority().isEmpty()) {
            out.setHostRedirect(redirect.authority());
        }
        if (redirect.uri() != null && !redirect.uri().isEmpty()) {
            out.setPathRedirect(redirect.uri());
        }
        if (redirect.scheme() != null && !redirect.scheme().isEmpty()) {
            out.setSchemeRedirect(redirect.scheme());
        }
        if (redirect.port() != null) {
            String scheme = redirect.scheme() != null && !redirect.scheme().isEmpty()
                    ? redirect.scheme()
                    : tls ? "https" : "http";
            int port = redirect.port();
            // A client leaves the scheme's default port out of the Location; so does Istio.
            boolean defaultPort = (port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"));
            if (!defaultPort) {
                out.setPortRedirect(port);
            }
        }
        return out.build();
    }

    /** 301 (and unset), 302, 303, 307 and 308; anything else has no Envoy response code. */
    public static RedirectAction.@Nullable RedirectResponseCode responseCode(int code) {
        return switch (code) {
            case 0, 301 -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
            case 302 -> RedirectAction.RedirectResponseCode.FOUND;
            case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
            case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
            case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
            default -> null;
        };
    }
}
