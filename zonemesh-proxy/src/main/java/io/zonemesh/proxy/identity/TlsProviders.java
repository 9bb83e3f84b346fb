package io.zonemesh.proxy.identity;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.zonemesh.common.Nullable;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS engine of the mesh's mutual TLS contexts (SDS {@code default}/{@code ROOTCA}): BoringSSL
 * through netty-tcnative ({@link SslProvider#OPENSSL}) where its natives load, the JDK's engine
 * otherwise. BoringSSL is the engine Envoy uses; measured against the JDK's in BENCHMARKS.md, "mTLS".
 * The system property {@value #PROPERTY} ({@code auto}, {@code openssl} or {@code jdk}) overrides
 * the choice, e.g. to compare both in one benchmark run.
 */
public final class TlsProviders {
    /** The system property that overrides the choice. */
    public static final String PROPERTY = "zonemesh.tls.provider";

    private static final Logger log = LoggerFactory.getLogger(TlsProviders.class);
    private static volatile @Nullable SslProvider mesh;

    private TlsProviders() {}

    /** The provider of this process's mesh TLS contexts, chosen once. */
    public static SslProvider mesh() {
        SslProvider chosen = mesh;
        if (chosen == null) {
            chosen = choose(System.getProperty(PROPERTY, "auto"), OpenSsl::isAvailable);
            log.info(
                    "mesh TLS uses the {} engine ({}={}){}",
                    chosen,
                    PROPERTY,
                    System.getProperty(PROPERTY, "auto"),
                    chosen == SslProvider.JDK && !OpenSsl.isAvailable()
                            ? "; BoringSSL unavailable: " + OpenSsl.unavailabilityCause()
                            : "");
            mesh = chosen;
        }
        return chosen;
    }

    /**
     * The provider a setting asks for.
     *
     * @throws IllegalArgumentException for an unknown setting, or {@code openssl} where BoringSSL
     *     does not load
     */
    static SslProvider choose(String setting, BooleanSupplier openSslAvailable) {
        switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
            case "":
                return openSslAvailable.getAsBoolean() ? SslProvider.OPENSSL : SslProvider.JDK;
            case "jdk":
                return SslProvider.JDK;
            case "openssl":
                if (!openSslAvailable.getAsBoolean()) {
                    throw new IllegalArgumentException(PROPERTY + ": openssl (expected: auto or jdk; BoringSSL "
                            + "(netty-tcnative) does not load on this platform)");
                }
                return SslProvider.OPENSSL;
            default:
                throw new IllegalArgumentException(PROPERTY + ": " + setting + " (expected: auto, openssl or jdk)");
        }
    }
}
