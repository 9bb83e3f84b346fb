package io.zonemesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.MeshRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Starting and stopping the control plane leaves nothing behind, also when a start fails half-way. */
class ControlPlaneLifecycleTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aStatusPortInUseFailsTheStartClearlyAndReleasesTheXdsPortAndEveryThread() throws Exception {
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, AdsServerTest.multiAz());
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            // The xDS server a failed start leaks is never returned, so its port has to be known in
            // advance: reserved here and released for the control plane (a race with other processes
            // that only a port-0 bind avoids, accepted for this one test).
            int xdsPort = freePort();
            InetSocketAddress status = new InetSocketAddress(LOOPBACK, taken.getLocalPort());
            assertThatThrownBy(() -> ControlPlane.builder(registry)
                            .xdsAddress(new InetSocketAddress(LOOPBACK, xdsPort))
                            .debugAddress(status)
                            .start())
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("control plane status port " + status + ": ");

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(bindable(xdsPort))
                            .as("xDS port %d free again", xdsPort)
                            .isTrue());
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(newThreads(before))
                            .as("threads the failed start left")
                            .isEmpty());
        }
        // The registry no longer calls into the dead control plane.
        registry.refresh();
    }

    @Test
    void closeStopsItsThreadsAndLetsTheRegistryGoOn() throws Exception {
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, AdsServerTest.multiAz());
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ControlPlane cp = ControlPlane.builder(registry)
                .xdsAddress(new InetSocketAddress(LOOPBACK, 0))
                .debugAddress(new InetSocketAddress(LOOPBACK, 0))
                .start();
        int xdsPort = cp.xdsPort();
        cp.close();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(bindable(xdsPort)).isTrue());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
        int[] seen = new int[1];
        registry.addListener(state -> seen[0]++);
        registry.refresh();
        assertThat(seen[0]).as("listeners after the closed control plane's").isEqualTo(1);
    }

    /** Live threads of the control plane's own pools that were not there before. */
    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && t.getName().startsWith("zonemesh-"))
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, LOOPBACK)) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }
}
