package io.zonemesh.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

class TlsProvidersTest {
    @Test
    void autoPrefersBoringSslWhereItLoads() {
        assertThat(TlsProviders.choose("auto", () -> true)).isEqualTo(SslProvider.OPENSSL);
        assertThat(TlsProviders.choose("auto", () -> false)).isEqualTo(SslProvider.JDK);
        assertThat(TlsProviders.choose("", () -> true)).isEqualTo(SslProvider.OPENSSL);
    }

    @Test
    void settingForcesOne() {
        assertThat(TlsProviders.choose("JDK", () -> true)).isEqualTo(SslProvider.JDK);
        assertThat(TlsProviders.choose("openssl", () -> true)).isEqualTo(SslProvider.OPENSSL);
    }

    @Test
    void refusesOpenSslThatDoesNotLoadAndUnknownSettings() {
        assertThatThrownBy(() -> TlsProviders.choose("openssl", () -> false))
                .hasMessageStartingWith("zonemesh.tls.provider: openssl (expected: auto or jdk");
        assertThatThrownBy(() -> TlsProviders.choose("boring", () -> true))
                .hasMessage("zonemesh.tls.provider: boring (expected: auto, openssl or jdk)");
    }

    @Test
    void boringSslLoadsOnLinuxX8664() {
        // The dependency is the linux-x86_64 natives; elsewhere the proxy falls back to the JDK.
        if ("amd64".equals(System.getProperty("os.arch"))
                && System.getProperty("os.name").startsWith("Linux")) {
            assertThat(OpenSsl.isAvailable())
                    .as("%s", OpenSsl.unavailabilityCause())
                    .isTrue();
        }
    }
}
