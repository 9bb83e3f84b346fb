/**
 * Envoy's data-plane load balancing as a plain library, for zonemesh's proxy and for any code
 * that must reason like a data plane. Entry point: {@link io.zonemesh.lb.ClusterLoadBalancers#create}.
 *
 * <h2>What is Envoy's, to the unit</h2>
 * <ul>
 *   <li>Priority load ({@code recalculatePerPriorityState}): per-priority health
 *       {@code min(100, factor x healthy / total)} in integer arithmetic, normalized total
 *       availability, load from P0 down, rounding remainder to the first priority with health;
 *       pick {@code h = random % 100 + 1} over the cumulative loads.</li>
 *   <li>Panic ({@code recalculatePerPriorityPanic}): only when availability is short of 100;
 *       a priority in panic balances over all its hosts; total panic splits by host count;
 *       threshold 0 with nothing healthy gives "no healthy upstream".</li>
 *   <li>Locality-weighted picking, only with {@code locality_weighted_lb_config}: effective
 *       weight {@code weight x min(1, factor/100 x healthy/total)} as a double, zero skipped.</li>
 *   <li>Outlier detection ({@code outlier_detection_impl.cc}): consecutive 5xx, gateway and
 *       local-origin counters that fire when they reach the threshold, the current
 *       {@code max_ejection_percent} rule plus {@code always_eject_one_host}, enforcement rolls,
 *       ejection backoff, jitter, and the interval sweep with failure-percentage ejection and
 *       backoff decay. A host is healthy for load balancing iff EDS says so and it is not ejected.
 *       Stats as Envoy counts them ({@link io.zonemesh.lb.LbStats}): {@code lb_healthy_panic} and
 *       {@code outlier_detection.ejections_active}, {@code _enforced_*}, {@code _detected_*},
 *       {@code _overflow}.</li>
 *   <li>Consistent hashing: ring hash ({@code RingHashLoadBalancer::Ring}: scale from the lightest
 *       host's share and {@code minimum_ring_size}, points {@code xxHash64("ip:port_i")}) and Maglev
 *       ({@code MaglevTable}: offset/skip permutations, weighted rounds), the priority chosen from
 *       {@code hash % 100}, retries flipping the hash by the attempt number.</li>
 *   <li>Zone-aware routing ({@code ZoneAwareLoadBalancerBase}) for round robin, least request and
 *       random, when the proxy has a local cluster ({@link io.zonemesh.lb.LocalCluster}):
 *       localities matched by value, basis-point percentages, direct/residual states, the early
 *       exits, {@code routing_enabled}, {@code min_cluster_size}, {@code fail_traffic_on_panic},
 *       {@code force_local_zone} and {@code locality_basis}, and the {@code lb_zone_*} stats
 *       ({@link io.zonemesh.lb.ZoneRoutingStats}). The routing state is built with the snapshot on
 *       the serial executor; a pick draws at most three randoms.</li>
 * </ul>
 *
 * <h2>Where it differs, and why</h2>
 * <ul>
 *   <li>Envoy keeps a load balancer per worker thread; here one instance serves every event loop.
 *       Picks read an immutable snapshot; round robin uses one shared atomic index per host set;
 *       weighted round robin (hosts and localities) uses lock-free stride scheduling instead of
 *       a per-thread EDF, with the same long-run shares.</li>
 *   <li>Weighted LEAST_REQUEST samples in proportion to {@code weight / (active + 1)}, the share
 *       Envoy's EDF over that dynamic weight converges to.</li>
 *   <li>RANDOM draws the host index independently of the priority draw (Envoy reuses one value
 *       for both, which biases hosts slightly when the set size shares factors with 100).</li>
 *   <li>Threading follows Envoy's split, with grpc-java's tools: event loops only bump per-host
 *       atomic counters; the one whose increment reaches a threshold posts the ejection to the
 *       balancer's {@code SerialExecutor} (Envoy's post to the main thread). EDS
 *       updates, ejections, the interval sweep and every snapshot build run there, one at a
 *       time, on the executor the creator names (the proxy's xDS executor), so a Maglev table is
 *       never built on an event loop and picks never wait. As in Envoy, a request picked between
 *       the crossing and the ejection still goes to the host.</li>
 *   <li>Consistent hashing (RING_HASH, MAGLEV) builds each priority's ring or table from host
 *       weights only: Envoy also scales them by locality weights when locality-weighted
 *       balancing is on. Only xxHash64 host keys ({@code ip:port}); no {@code hash_balance_factor}.</li>
 *   <li>Runtime overrides ({@code upstream.zone_routing.*}) do not exist; {@code routing_enabled}
 *       is sampled from the balancer's random source, where Envoy uses its runtime's.</li>
 *   <li>Not implemented: degraded hosts, slow start, success-rate ejection.</li>
 * </ul>
 */
package io.zonemesh.lb;
