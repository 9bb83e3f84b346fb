package io.zonemesh.bench.jmh;

import io.zonemesh.bench.mesh.MeshShape;
import io.zonemesh.xds.XdsGenerator;
import io.zonemesh.xds.XdsResources;
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
 * Time and allocation ({@code -prof gc}) to generate every outbound resource of one proxy group
 * (listener, {@code http_proxy} routes, clusters and load assignments): the work the control plane
 * does once per group and mesh version. Reference size: 1,000 services × 3 zones × 10 endpoints.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class GroupGenerationBenchmark {
    @Param("1000")
    public int services;

    @Param("3")
    public int zones;

    @Param("10")
    public int endpointsPerZone;

    private final XdsGenerator generator = new XdsGenerator();
    private PushFixture fixture;

    @Setup
    public void setup() {
        fixture = new PushFixture(new MeshShape(services, zones, endpointsPerZone, 1));
    }

    /** Outbound resources of the group, as the snapshot factory generates them on a cache miss. */
    @Benchmark
    public XdsResources outboundForGroup() {
        return generator.outbound(fixture.state, fixture.group);
    }

    /** One proxy from scratch, no group cache: outbound plus the workload's inbound resources. */
    @Benchmark
    public XdsResources wholeProxyUncached() {
        return generator.generate(fixture.state, fixture.firstIdentity);
    }
}
