package io.zonemesh.proxy.snapshot;

import io.netty.util.NetUtil;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.Scheduler;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.DiscoveryType;
import io.zonemesh.proxy.config.DnsSettings;
import io.zonemesh.proxy.config.EndpointAssignment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the host names of STRICT_DNS clusters, as Envoy's {@code StrictDnsClusterImpl}: every
 * address a name resolves to becomes a host with the endpoint's port, locality, priority and
 * weights; names are re-resolved every {@code dns_refresh_rate}; a failed lookup keeps the
 * addresses of the last good one. Lookups block, so they run on their own executor, never on
 * an event loop; all state lives on the serial (xDS) executor, which also hears about changes.
 */
public final class DnsResolver {
    private static final Logger log = LoggerFactory.getLogger(DnsResolver.class);

    /** A blocking name lookup. */
    @FunctionalInterface
    public interface Lookup {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** The JVM's resolver. */
    public static final Lookup SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    private final Lookup lookup;
    private final Executor lookupExecutor;
    private final Executor serial;
    private final Scheduler scheduler;
    private final Map<String, ClusterDns> clusters = new HashMap<>();
    private Runnable onChange = () -> {};
    private boolean closed;

    /**
     * @param lookupExecutor runs the blocking lookups
     * @param serial the executor that owns this resolver's state (the xDS executor)
     * @param scheduler times the refreshes; its tasks only enqueue onto {@code serial}
     */
    public DnsResolver(Lookup lookup, Executor lookupExecutor, Executor serial, Scheduler scheduler) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.lookupExecutor = Objects.requireNonNull(lookupExecutor, "lookupExecutor");
        this.serial = Objects.requireNonNull(serial, "serial");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Called on the serial executor whenever a cluster's resolved hosts change. */
    void onChange(Runnable listener) {
        this.onChange = Objects.requireNonNull(listener, "listener");
    }

    /** Starts resolving new STRICT_DNS clusters, restarts changed ones and forgets removed ones. */
    public void sync(Collection<ClusterConfig> configs) {
        Map<String, ClusterConfig> wanted = new HashMap<>();
        for (ClusterConfig config : configs) {
            if (config.type() == DiscoveryType.STRICT_DNS) {
                wanted.put(config.name(), config);
            }
        }
        clusters.entrySet().removeIf(entry -> {
            ClusterConfig config = wanted.get(entry.getKey());
            boolean stale = config == null || !config.equals(entry.getValue().config);
            if (stale) {
                entry.getValue().stop();
            }
            return stale;
        });
        for (ClusterConfig config : wanted.values()) {
            if (!clusters.containsKey(config.name())) {
                ClusterDns state = new ClusterDns(config);
                clusters.put(config.name(), state);
                resolve(state);
            }
        }
    }

    /** The resolved assignment of a STRICT_DNS cluster, or null before its first resolution. */
    public @Nullable EndpointAssignment assignment(String clusterName) {
        ClusterDns state = clusters.get(clusterName);
        return state == null ? null : state.assignment;
    }

    /** Stops every refresh. */
    public void close() {
        closed = true;
        clusters.values().forEach(ClusterDns::stop);
        clusters.clear();
    }

    private void resolve(ClusterDns state) {
        if (closed || state.stopped) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        for (HostSpec host : state.template().hosts()) {
            names.add(host.address());
        }
        state.pending = names.size();
        if (names.isEmpty()) {
            completed(state);
            return;
        }
        for (String name : names) {
            try {
                lookupExecutor.execute(() -> {
                    List<InetAddress> result;
                    try {
                        result = lookup.resolve(name);
                    } catch (UnknownHostException | RuntimeException e) {
                        log.warn("cluster {}: DNS lookup of {} failed: {}", state.config.name(), name, e.toString());
                        result = null;
                    }
                    List<InetAddress> addresses = result;
                    runSerially(() -> resolved(state, name, addresses));
                });
            } catch (RejectedExecutionException e) {
                log.debug("DNS executor stopped", e);
                return;
            }
        }
    }

    private void resolved(ClusterDns state, String name, @Nullable List<InetAddress> addresses) {
        if (closed || state.stopped) {
            return;
        }
        if (addresses != null) {
            state.addresses.put(name, state.dns().family().select(addresses));
        }
        if (--state.pending == 0) {
            completed(state);
        }
    }

    private void completed(ClusterDns state) {
        EndpointAssignment next = state.build();
        boolean changed = !next.equals(state.assignment);
        state.assignment = next;
        state.timer = scheduler.schedule(
                () -> runSerially(() -> resolve(state)), state.dns().refreshRate());
        if (changed) {
            onChange.run();
        }
    }

    private void runSerially(Runnable task) {
        try {
            serial.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("serial executor stopped", e);
        }
    }

    /** Resolution state of one cluster; replaced as a whole when the cluster's config changes. */
    private static final class ClusterDns {
        final ClusterConfig config;
        final Map<String, List<InetAddress>> addresses = new HashMap<>();

        @Nullable
        EndpointAssignment assignment;

        Scheduler.@Nullable Cancellable timer;
        int pending;
        boolean stopped;

        ClusterDns(ClusterConfig config) {
            this.config = config;
        }

        /** The hosts to resolve: ClusterConfig requires them of a STRICT_DNS cluster. */
        EndpointAssignment template() {
            return Objects.requireNonNull(config.loadAssignment(), "loadAssignment");
        }

        /** ClusterConfig requires DNS settings of a STRICT_DNS cluster. */
        DnsSettings dns() {
            return Objects.requireNonNull(config.dns(), "dns");
        }

        void stop() {
            stopped = true;
            if (timer != null) {
                timer.cancel();
            }
        }

        EndpointAssignment build() {
            EndpointAssignment template = template();
            List<HostSpec> hosts = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (HostSpec host : template.hosts()) {
                for (InetAddress address : addresses.getOrDefault(host.address(), List.of())) {
                    String ip = NetUtil.toAddressString(address);
                    if (seen.add(ip + ":" + host.port())) {
                        hosts.add(new HostSpec(
                                ip,
                                host.port(),
                                host.locality(),
                                host.priority(),
                                host.localityWeight(),
                                host.weight(),
                                host.healthy(),
                                host.name().isEmpty() ? host.address() : host.name()));
                    }
                }
            }
            return new EndpointAssignment(template.clusterName(), hosts, template.overprovisioningFactor());
        }
    }
}
