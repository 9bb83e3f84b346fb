package io.zonemesh.bench.jmh;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.zonemesh.bench.mesh.MeshShape;
import io.zonemesh.controlplane.BenchPushPath;
import io.zonemesh.model.MeshState;
import io.zonemesh.xds.XdsGenerator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The control plane's push path for one proxy ({@code XdsPusher.push}): on a group-cache miss
 * (the first proxy of a group after a change) and on a hit (every other proxy of the group), plus
 * the two halves of the hit, resource assembly and the content-hash versions, to show which one
 * a push to 1,000 proxies pays for.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ProxyPushBenchmark {
    @Param("1000")
    public int services;

    @Param("3")
    public int zones;

    @Param("10")
    public int endpointsPerZone;

    private PushFixture fixture;
    private BenchPushPath path;
    private MeshState[] versions;
    private int flip;
    private List<ClusterLoadAssignment> groupEndpoints;

    @Setup
    public void setup() {
        fixture = new PushFixture(new MeshShape(services, zones, endpointsPerZone, 1));
        path = new BenchPushPath(fixture.registry);
        // Two equal states with different versions: alternating between them empties the group
        // cache on every push, as a real change does.
        versions = new MeshState[] {fixture.state, fixture.state.withVersion(fixture.state.version() + 1)};
        path.useState(fixture.state);
        path.push(fixture.firstNode);
        if (!path.pushed(fixture.firstNode.getId()) || path.cachedGroups() != 1) {
            throw new IllegalStateException("the push path failed for " + fixture.firstNode.getId());
        }
        groupEndpoints =
                new XdsGenerator().outbound(fixture.state, fixture.group).endpoints();
    }

    /** First proxy of its group after a change: generates the group's outbound resources. */
    @Benchmark
    public void firstProxyOfGroup() {
        flip ^= 1;
        path.useState(versions[flip]);
        path.push(fixture.firstNode);
    }

    /** Second proxy of the same group: outbound resources come from the group cache. */
    @Benchmark
    public void secondProxyOfGroup() {
        path.push(fixture.secondNode);
    }

    /** The cache hit without versions and snapshot: identity, group key, inbound, merge. */
    @Benchmark
    public int secondProxyResourcesOnly() {
        return path.build(fixture.state, fixture.secondNode);
    }

    /** Whether the last push left a snapshot for both benchmark proxies and one cached group (smoke tests). */
    boolean pushedBothProxies() {
        return path.pushed(fixture.firstNode.getId())
                && path.pushed(fixture.secondNode.getId())
                && path.cachedGroups() == 1;
    }

    /** The EDS version of one proxy: a SHA-256 over every serialized load assignment. */
    @Benchmark
    public String endpointsVersionHash() {
        return BenchPushPath.version(groupEndpoints);
    }
}
