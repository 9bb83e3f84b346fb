package io.zonemesh.proxy.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.lb.ClusterLbConfig;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.Host;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.lb.LbPolicy;
import io.zonemesh.lb.OutlierDetectionConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadBalancerFactoryTest {

    @Test
    void theDefaultBalancerEjectsOnTheSchedulersThreadNotOnTheReportingOne() {
        // The FakeClock stands in for the xDS executor: its zero-delay tasks run when it is advanced.
        FakeClock xds = new FakeClock();
        OutlierDetectionConfig od = new OutlierDetectionConfig(
                1,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(300),
                Duration.ZERO,
                100,
                false);
        ClusterLoadBalancer lb = LoadBalancerFactory.DEFAULT.create(
                "outbound|80||a.b.svc.cluster.local",
                new ClusterLbConfig(LbPolicy.MAGLEV, 140, 0, false, od),
                List.of(
                        new HostSpec("10.0.0.1", 80, "r/z/", 0, 1, 1, true, ""),
                        new HostSpec("10.0.0.2", 80, "r/z/", 0, 1, 1, true, "")),
                xds,
                RandomSource.seeded(1),
                xds);
        Host host = lb.chooseHost(7, Set.of());

        lb.onResponse(host, 503);

        assertThat(host.ejected()).as("the event loop only posted the ejection").isFalse();
        xds.advance(Duration.ZERO);
        assertThat(host.ejected()).isTrue();
        assertThat(lb.stats().ejectionsActive()).isEqualTo(1);
        lb.close();
        assertThat(xds.pendingTasks()).isEmpty();
    }
}
