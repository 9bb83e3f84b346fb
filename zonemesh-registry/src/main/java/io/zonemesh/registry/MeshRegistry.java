package io.zonemesh.registry;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.config.placement.PodPlanner;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of one mesh read from files: holds the current configuration, plans its pods
 * and publishes a new immutable {@link MeshState} on every change. Thread-safe; listeners are
 * called on the thread that made the change and must not block; one that throws is logged and
 * the others are still called.
 */
public final class MeshRegistry {
    private static final Logger log = LoggerFactory.getLogger(MeshRegistry.class);
    private final MeshStateBuilder builder;
    private final BiFunction<MeshConfigBundle, List<PodInstance>, EndpointAddressing> addressingFactory;
    private final List<Consumer<MeshState>> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile Snapshot current;
    /** Adds other clusters' services, endpoints and gateways to each state built (identity: one cluster). */
    private volatile UnaryOperator<MeshState> remoteClusters = UnaryOperator.identity();

    /**
     * @param addressingFactory chooses addresses for the pods planned from a configuration (the
     *     local mesh binds sockets; tests and {@code analyze} use {@link EndpointAddressing#synthetic})
     */
    public MeshRegistry(
            MeshSettings settings,
            MeshConfigBundle initial,
            BiFunction<MeshConfigBundle, List<PodInstance>, EndpointAddressing> addressingFactory) {
        this.builder = new MeshStateBuilder(settings);
        this.addressingFactory = Objects.requireNonNull(addressingFactory, "addressingFactory");
        this.current = snapshot(1, initial, null);
    }

    /** A registry with Kubernetes-like synthetic addresses. */
    public static MeshRegistry synthetic(MeshSettings settings, MeshConfigBundle bundle) {
        return new MeshRegistry(settings, bundle, (config, pods) -> EndpointAddressing.synthetic(pods));
    }

    public MeshState state() {
        return current.state;
    }

    public List<PodInstance> pods() {
        return current.pods;
    }

    public MeshConfigBundle bundle() {
        return current.bundle;
    }

    public EndpointAddressing addressing() {
        return current.addressing;
    }

    /** The planned pod with this namespace and name, or null. */
    public @Nullable PodInstance pod(String namespace, String name) {
        return current.podsByName.get(namespace + "/" + name);
    }

    /**
     * Where a pod's application listens, keyed by every port a caller may name for it: each
     * port of each Service selecting the pod, and the target port itself. Its sidecar's
     * inbound clusters forward there.
     */
    public Map<Integer, String> applicationPorts(PodInstance pod) {
        Snapshot s = current;
        // Memoized per configuration: the control plane asks for every proxy on every push.
        return s.applicationPorts.computeIfAbsent(pod.namespace() + "/" + pod.name(), k -> applicationPorts(s, pod));
    }

    private static Map<Integer, String> applicationPorts(Snapshot s, PodInstance pod) {
        Map<Integer, String> out = new TreeMap<>();
        for (K8sService svc : s.bundle.services()) {
            if (!svc.meta().namespace().equals(pod.namespace())
                    || svc.selector().isEmpty()
                    || !Selectors.matches(svc.selector(), pod.labels())) {
                continue;
            }
            for (K8sService.Port p : svc.ports()) {
                int target = MeshStateBuilder.targetPort(p, pod);
                if (target > 0) {
                    String app = s.addressing.application(pod, target).toString();
                    out.putIfAbsent(p.port(), app);
                    out.putIfAbsent(target, app);
                }
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Replaces the configuration (already validated) and publishes the new state. */
    public MeshState apply(MeshConfigBundle bundle) {
        return apply(bundle, current.slices);
    }

    /**
     * Replaces the configuration and the EndpointSlices (a Kubernetes API source; null: endpoints
     * from the pods Service selectors pick, as for files) and publishes the new state.
     */
    public MeshState apply(MeshConfigBundle bundle, @Nullable EndpointSlices slices) {
        Snapshot next;
        synchronized (lock) {
            next = snapshot(current.state.version() + 1, bundle, slices);
            current = next;
        }
        for (Consumer<MeshState> l : listeners) {
            // A listener's bug must not keep the others (the control plane's push, the local mesh)
            // from the state that is already current: caught at the boundary, logged, next one.
            try {
                l.accept(next.state);
            } catch (RuntimeException e) {
                log.error(
                        "mesh version {}: a registry listener failed; the others still get it",
                        next.state.version(),
                        e);
            }
        }
        return next.state;
    }

    /** Re-derives the state from the current configuration (for example after addresses changed). */
    public MeshState refresh() {
        return apply(current.bundle);
    }

    /**
     * Makes every state this registry publishes from now on pass through {@code merge}, which adds
     * what other clusters' registries hold (istiod's aggregate registry in {@code zonemesh up
     * --cluster}). It runs under the registry's lock, so it must only read immutable states; call
     * {@link #refresh} when what it reads changes.
     */
    public void mergeRemoteClusters(UnaryOperator<MeshState> merge) {
        this.remoteClusters = Objects.requireNonNull(merge, "merge");
    }

    public void addListener(Consumer<MeshState> listener) {
        listeners.add(listener);
    }

    /** Stops calling {@code listener} (the same instance given to {@link #addListener}); no-op if unknown. */
    public void removeListener(Consumer<MeshState> listener) {
        listeners.remove(listener);
    }

    private Snapshot snapshot(long version, MeshConfigBundle bundle, @Nullable EndpointSlices slices) {
        List<PodInstance> pods = PodPlanner.plan(bundle);
        EndpointAddressing addressing = addressingFactory.apply(bundle, pods);
        Map<String, PodInstance> byName = new HashMap<>();
        for (PodInstance p : pods) {
            byName.putIfAbsent(p.namespace() + "/" + p.name(), p);
        }
        return new Snapshot(
                bundle,
                slices,
                List.copyOf(pods),
                Map.copyOf(byName),
                addressing,
                remoteClusters.apply(builder.build(version, bundle, pods, addressing, slices)),
                new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** One configuration with everything derived from it; {@code podsByName} keys are {@code ns/name}. */
    private record Snapshot(
            MeshConfigBundle bundle,
            @Nullable EndpointSlices slices,
            List<PodInstance> pods,
            Map<String, PodInstance> podsByName,
            EndpointAddressing addressing,
            MeshState state,
            Map<String, Map<Integer, String>> applicationPorts) {}
}
