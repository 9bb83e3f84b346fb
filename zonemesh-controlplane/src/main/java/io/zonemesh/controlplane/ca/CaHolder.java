package io.zonemesh.controlplane.ca;

import io.zonemesh.security.ca.CertificateAuthority;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's current certificate authority. A plug-in CA is replaced when its files or
 * Secret change (istiod reloads {@code cacerts} the same way); the certificate service reads the
 * current one per request, and listeners (the TLS port's serving certificate) hear of every
 * replacement.
 */
public final class CaHolder implements Supplier<CertificateAuthority> {
    private static final Logger log = LoggerFactory.getLogger(CaHolder.class);

    private volatile CertificateAuthority current;
    private final List<Consumer<CertificateAuthority>> listeners = new CopyOnWriteArrayList<>();

    public CaHolder(CertificateAuthority initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    @Override
    public CertificateAuthority get() {
        return current;
    }

    /** Makes {@code next} the CA and tells every listener; a listener's failure is logged, not thrown. */
    public void replace(CertificateAuthority next) {
        current = Objects.requireNonNull(next, "next");
        for (Consumer<CertificateAuthority> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                log.error("a CA listener failed on the CA reload", e);
            }
        }
    }

    /** Called with the new CA after every {@link #replace}, on the replacing thread. */
    public void addListener(Consumer<CertificateAuthority> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Consumer<CertificateAuthority> listener) {
        listeners.remove(listener);
    }
}
