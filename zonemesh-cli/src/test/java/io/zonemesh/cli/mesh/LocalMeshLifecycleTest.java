package io.zonemesh.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.cli.demo.ExampleFiles;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.proxy.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A local mesh that cannot start leaves no event loop, pool or port behind. */
class LocalMeshLifecycleTest {

    @Test
    void aStatusPortInUseFailsTheStartAndStopsTheEventLoopsAndControlPlane() throws Exception {
        MeshConfigBundle bundle = new ConfigLoader()
                .load(ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml")))
                .bundle();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress status = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());
            EventLoopGroup group = Transport.preferred().newGroup(2, new DefaultThreadFactory("zonemesh-mesh"));
            assertThatThrownBy(() -> LocalMesh.start(bundle, RandomSource.seeded(1), status, group))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("control plane status port " + status);
            assertThat(group.isShuttingDown())
                    .as("the mesh's event loops shut down")
                    .isTrue();
            await().atMost(Duration.ofSeconds(10)).until(group::isTerminated);
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(newThreads(before))
                        .as("threads the failed start left")
                        .isEmpty());
    }

    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && t.getName().startsWith("zonemesh-"))
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
