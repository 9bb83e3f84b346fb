package io.zonemesh.proxy.identity;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.MeshTls;
import io.zonemesh.security.PeerVerifier;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's SDS server in process: holds the current {@link WorkloadSecret} and the TLS
 * contexts built from it. A new secret (a rotation) replaces every context at once, atomically:
 * connections made afterwards use the new certificate, connections already open keep theirs
 * (a TLS session never changes its certificate), as Envoy does when SDS pushes a secret.
 * Contexts are built on first use per certificate and settings, from any thread.
 */
public final class WorkloadSecrets {
    private static final Logger log = LoggerFactory.getLogger(WorkloadSecrets.class);

    private final Clock clock;
    private volatile @Nullable Version current;
    private final List<Consumer<WorkloadSecret>> listeners = new CopyOnWriteArrayList<>();

    /** The certificate and the contexts built from it. */
    private record Version(WorkloadSecret secret, ConcurrentMap<ContextKey, SslContext> contexts) {}

    private record ContextKey(boolean server, List<String> alpn, boolean requireClientCertificate) {}

    /** Secrets whose peers are verified at the system clock's time. */
    public WorkloadSecrets() {
        this(Clock.system());
    }

    /** @param clock the time peer certificates must be valid at */
    public WorkloadSecrets(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Serves {@code secret} from now on. */
    public void update(WorkloadSecret secret) {
        current = new Version(Objects.requireNonNull(secret, "secret"), new ConcurrentHashMap<>());
        for (Consumer<WorkloadSecret> listener : listeners) {
            listener.accept(secret);
        }
    }

    /** Hears about every new secret, on the thread that updates it. */
    public void addListener(Consumer<WorkloadSecret> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The secret served now, null before the first certificate. */
    public @Nullable WorkloadSecret current() {
        Version version = current;
        return version == null ? null : version.secret();
    }

    /**
     * A client context presenting the workload certificate and trusting only ROOTCA, or null
     * while there is no certificate (SDS {@code default} not ready: TLS fails closed). The SAN
     * check is the caller's (Envoy's {@code match_subject_alt_names}).
     */
    public @Nullable SslContext clientContext(MeshTls mesh) {
        return context(new ContextKey(false, mesh.alpnProtocols(), false));
    }

    /**
     * A server context presenting the workload certificate, asking for a client certificate
     * signed by ROOTCA (required, or verified only when presented), or null while there is none.
     */
    public @Nullable SslContext serverContext(MeshTls mesh, boolean requireClientCertificate) {
        return context(new ContextKey(true, mesh.alpnProtocols(), requireClientCertificate));
    }

    private @Nullable SslContext context(ContextKey key) {
        Version version = current;
        if (version == null) {
            return null;
        }
        SslContext cached = version.contexts().get(key);
        if (cached != null) {
            return cached;
        }
        try {
            SslContext built = build(version.secret(), key, clock);
            SslContext raced = version.contexts().putIfAbsent(key, built);
            return raced != null ? raced : built;
        } catch (SSLException | RuntimeException e) {
            log.error("cannot build a TLS context from the workload certificate", e);
            return null;
        }
    }

    private static SslContext build(WorkloadSecret secret, ContextKey key, Clock clock) throws SSLException {
        X509Certificate[] chain = secret.chain().toArray(X509Certificate[]::new);
        SslContextBuilder builder = key.server()
                ? SslContextBuilder.forServer(secret.key(), chain)
                        .clientAuth(key.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
                // Envoy verifies only the SAN matchers, never the SNI as a host name.
                : SslContextBuilder.forClient().keyManager(secret.key(), chain).endpointIdentificationAlgorithm(null);
        // ROOTCA as Envoy's default validator checks it: PKIX to a root, no revocation, no host
        // name, the peer's role in its extended key usage. The SAN matchers of a cluster are
        // checked after the handshake (SanVerifier, Envoy's matcher semantics); the inbound has none.
        builder.sslProvider(TlsProviders.mesh())
                .trustManager(new PeerVerifier(secret.roots(), Set.of(), clock).trustManager());
        if (!key.alpn().isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    key.alpn()));
        }
        return builder.build();
    }
}
