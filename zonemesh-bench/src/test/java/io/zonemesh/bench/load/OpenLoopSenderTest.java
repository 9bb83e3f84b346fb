package io.zonemesh.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.Clock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenLoopSenderTest {

    @Test
    void sendsEveryScheduledRequestAndTimesItFromItsIntendedSendTime() throws Exception {
        try (TestBackend backend = new TestBackend();
                OpenLoopSender sender = OpenLoopSender.connect(
                        target(backend.address()),
                        2,
                        Duration.ofSeconds(5),
                        true,
                        Duration.ofNanos(50_000),
                        Clock.system())) {
            AtomicInteger bodies = new AtomicInteger();
            RunResult r = sender.run(200, Duration.ofMillis(500), (intended, done, status, body, error) -> {
                        if (body != null && body.length() == 1024) {
                            bodies.incrementAndGet();
                        }
                    })
                    .get(10, TimeUnit.SECONDS);

            assertThat(r.scheduled()).isEqualTo(100);
            assertThat(r.ok()).isEqualTo(100);
            assertThat(r.failed()).isZero();
            assertThat(bodies).hasValue(100);
            assertThat(r.latency().count()).isEqualTo(100);
            assertThat(r.latency().p50()).isGreaterThan(0).isLessThan(1000);
            // A second run on the same keep-alive connections.
            assertThat(sender.run(100, Duration.ofMillis(200), RequestListener.NONE)
                            .get(10, TimeUnit.SECONDS)
                            .ok())
                    .isEqualTo(20);
        }
    }

    @Test
    void countsRequestsToAVanishedTargetAsErrorsAndStillEnds() throws Exception {
        TestBackend backend = new TestBackend();
        try (OpenLoopSender sender = OpenLoopSender.connect(
                target(backend.address()), 1, Duration.ofSeconds(2), false, Duration.ZERO, Clock.system())) {
            backend.close();
            RunResult r = sender.run(100, Duration.ofMillis(300), RequestListener.NONE)
                    .get(10, TimeUnit.SECONDS);

            assertThat(r.scheduled()).isEqualTo(30);
            assertThat(r.ok()).isZero();
            assertThat(r.errors()).isEqualTo(30);
        }
    }

    @Test
    void parsesTargets() {
        LoadTarget t = LoadTarget.parse("mesh=127.0.0.1:15001,host=server.bench:80,path=/hello");
        assertThat(t.name()).isEqualTo("mesh");
        assertThat(t.address().getPort()).isEqualTo(15001);
        assertThat(t.host()).isEqualTo("server.bench:80");
        assertThat(t.path()).isEqualTo("/hello");
        assertThat(LoadTarget.parse("direct=127.0.0.1:80").host()).isEqualTo("127.0.0.1:80");
    }

    private static LoadTarget target(InetSocketAddress a) {
        return new LoadTarget("test", a, "backend.test", "/");
    }
}
