package io.zonemesh.xds.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction.RedirectResponseCode;
import io.zonemesh.model.istio.VirtualServiceConfig.Redirect;
import org.junit.jupiter.api.Test;

class RedirectsTest {

    @Test
    void uriAuthorityAndSchemeAreCopied() {
        RedirectAction r = Redirects.of(new Redirect("/new", "other.example", null, "https", 301), false);

        assertThat(r.getPathRedirect()).isEqualTo("/new");
        assertThat(r.getHostRedirect()).isEqualTo("other.example");
        assertThat(r.getSchemeRedirect()).isEqualTo("https");
        assertThat(r.getResponseCode()).isEqualTo(RedirectResponseCode.MOVED_PERMANENTLY);
        assertThat(r.getPortRedirect()).isZero();
    }

    @Test
    void responseCodesMapToEnvoysAndOthersHaveNone() {
        assertThat(Redirects.responseCode(302)).isEqualTo(RedirectResponseCode.FOUND);
        assertThat(Redirects.responseCode(303)).isEqualTo(RedirectResponseCode.SEE_OTHER);
        assertThat(Redirects.responseCode(307)).isEqualTo(RedirectResponseCode.TEMPORARY_REDIRECT);
        assertThat(Redirects.responseCode(308)).isEqualTo(RedirectResponseCode.PERMANENT_REDIRECT);
        assertThat(Redirects.of(new Redirect("/x", null, null, null, 300), false))
                .isNull();
    }

    @Test
    void theSchemesDefaultPortIsLeftOut() {
        assertThat(Redirects.of(new Redirect(null, null, 80, null, 301), false).getPortRedirect())
                .isZero();
        assertThat(Redirects.of(new Redirect(null, null, 443, null, 301), true).getPortRedirect())
                .isZero();
        assertThat(Redirects.of(new Redirect(null, null, 443, null, 301), false).getPortRedirect())
                .isEqualTo(443);
        assertThat(Redirects.of(new Redirect(null, null, 8443, "https", 301), false)
                        .getPortRedirect())
                .isEqualTo(8443);
    }
}
