package io.zonemesh.proxy;

import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.http.ProxyListener;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import io.zonemesh.proxy.xds.XdsResource;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners a gateway binds from xDS ({@code PROXY_TYPE: router}): every listener other than
 * virtualOutbound and virtualInbound that has a socket address gets its own socket, bound when
 * it appears, rebound when its address or TLS chains change, and drained and closed when it goes.
 * {@link #sync} runs on the xDS executor, which is not an event loop, so binding may wait.
 */
final class GatewayListeners {
    private static final Logger log = LoggerFactory.getLogger(GatewayListeners.class);

    private final Function<ListenerConfig, ProxyListener> factory;
    private final UnaryOperator<InetSocketAddress> addressMapper;
    private final Map<String, Bound> bound = new HashMap<>();
    private final Map<String, InetSocketAddress> ports = new ConcurrentHashMap<>();
    private boolean closed;

    private record Bound(ListenerConfig configured, ProxyListener listener) {}

    /**
     * @param addressMapper where to bind a listener's xDS address (the local mesh maps ports; the
     *     identity binds what xDS says)
     */
    GatewayListeners(Function<ListenerConfig, ProxyListener> factory, UnaryOperator<InetSocketAddress> addressMapper) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.addressMapper = Objects.requireNonNull(addressMapper, "addressMapper");
    }

    synchronized void sync(ProxySnapshot snapshot) {
        if (closed) {
            return;
        }
        Map<String, ListenerConfig> wanted = new LinkedHashMap<>();
        for (XdsResource<ListenerConfig> resource :
                snapshot.resources().listeners().values()) {
            ListenerConfig config = resource.parsed();
            if (config.address() == null
                    || config.name().equals(ZonemeshProxy.OUTBOUND_LISTENER)
                    || config.name().equals(ZonemeshProxy.INBOUND_LISTENER)) {
                continue;
            }
            wanted.put(config.name(), config);
        }
        for (String name : Map.copyOf(bound).keySet()) {
            ListenerConfig config = wanted.get(name);
            // wanted holds only configs with an address; name is a key of bound.
            ListenerConfig configured = Objects.requireNonNull(bound.get(name)).configured();
            if (config == null
                    || !Objects.equals(config.address(), configured.address())
                    || !sameChains(config, configured)) {
                unbind(name);
            }
        }
        for (ListenerConfig config : wanted.values()) {
            if (!bound.containsKey(config.name())) {
                bind(config);
            }
        }
    }

    private static boolean sameChains(ListenerConfig a, ListenerConfig b) {
        if (a.tlsChains().size() != b.tlsChains().size()) {
            return false;
        }
        for (int i = 0; i < a.tlsChains().size(); i++) {
            if (!a.tlsChains().get(i).sameAs(b.tlsChains().get(i))) {
                return false;
            }
        }
        return true;
    }

    private void bind(ListenerConfig config) {
        ProxyListener listener = factory.apply(config);
        try {
            InetSocketAddress local = listener.bind(addressMapper.apply(config.address()));
            bound.put(config.name(), new Bound(config, listener));
            ports.put(config.name(), local);
            log.info("gateway listener {} ({}) bound to {}", config.name(), config.address(), local);
        } catch (RuntimeException e) {
            log.error("gateway listener {} could not bind {}", config.name(), config.address(), e);
        }
    }

    private void unbind(String name) {
        Bound old = bound.remove(name);
        ports.remove(name);
        if (old != null && old.listener().accepting()) {
            old.listener().stopAccepting();
            old.listener().drain();
        }
    }

    /** The bound local address of a gateway listener, or null. */
    @Nullable
    InetSocketAddress address(String name) {
        return ports.get(name);
    }

    /** The gateway listeners bound now. */
    synchronized java.util.List<ProxyListener> listeners() {
        return bound.values().stream().map(Bound::listener).toList();
    }

    /** Gateway listeners by name with their bound local addresses. */
    Map<String, InetSocketAddress> addresses() {
        return Map.copyOf(ports);
    }

    /** Stops accepting on every gateway listener and drains them; returns them for the caller to await. */
    synchronized java.util.List<ProxyListener> close() {
        closed = true;
        java.util.List<ProxyListener> listeners =
                bound.values().stream().map(Bound::listener).toList();
        for (ProxyListener listener : listeners) {
            if (listener.accepting()) {
                listener.stopAccepting().awaitUninterruptibly();
            }
            listener.drain();
        }
        bound.clear();
        ports.clear();
        return listeners;
    }
}
