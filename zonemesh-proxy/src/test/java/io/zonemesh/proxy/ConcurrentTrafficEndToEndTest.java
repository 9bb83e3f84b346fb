package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.ProxyFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.snapshot.LoadBalancerFactory;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many clients at once through a proxy with two event loops and zonemesh-lb's balancer. */
@ExtendWith(NettyLeakCheck.class)
class ConcurrentTrafficEndToEndTest {
    private static final int CLIENTS = 16;
    private static final int REQUESTS = 50;

    @Test
    void everyConcurrentKeepAliveRequestSucceedsAndUpstreamConnectionsStayPerEventLoop() throws Exception {
        EventLoopGroup group =
                Transport.preferred().newGroup(1, new DefaultThreadFactory("ConcurrentTrafficEndToEndTest"));
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (ProxyFixture fixture =
                new ProxyFixture(group, b -> b.ioThreads(2).loadBalancerFactory(LoadBalancerFactory.DEFAULT))) {
            fixture.start(ProxyFixture.cluster().build());
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                results.add(clients.submit(() -> {
                    int ok = 0;
                    try (RawHttpClient connection = RawHttpClient.connect(fixture.port())) {
                        for (int i = 0; i < REQUESTS; i++) {
                            String path = "/c" + client + "/r" + i;
                            var response = connection.send(request("GET", path, ""));
                            if (response.status() == 200 && response.body().equals("upstream GET " + path)) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            int succeeded = 0;
            for (Future<Integer> result : results) {
                succeeded += result.get(60, TimeUnit.SECONDS);
            }

            assertThat(succeeded).isEqualTo(CLIENTS * REQUESTS);
            assertThat(fixture.upstream.requests()).isEqualTo(CLIENTS * REQUESTS);
            // Each downstream connection has at most one request in flight, so an event loop
            // never needs more upstream connections than the clients it serves at once.
            assertThat(fixture.upstream.connectionsAccepted()).isBetween(1, CLIENTS);
            assertThat(fixture.proxy
                            .snapshot()
                            .cluster(ProxyFixture.CLUSTER)
                            .loadBalancer()
                            .status())
                    .allSatisfy(h -> assertThat(h.activeRequests()).isZero());
        } finally {
            clients.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
