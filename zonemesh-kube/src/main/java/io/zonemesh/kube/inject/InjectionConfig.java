package io.zonemesh.kube.inject;

import java.util.List;
import java.util.Objects;

/**
 * What the injector puts into a pod: the image and command that run {@code zonemesh}, the
 * control plane's xDS address, the proxy's UID and ports, and the revision this injector serves.
 *
 * @param image image holding the {@code zonemesh} command (both containers use it)
 * @param command the image's command for {@code zonemesh}; the subcommand follows as arguments
 * @param controlPlane the control plane's xDS address ({@code host:port})
 * @param revision the {@code istio.io/rev} value this injector answers for ({@code default})
 * @param proxyUid the proxy's UID: its own connections are never captured (Istio's 1337)
 * @param outboundPort the outbound capture port (Istio's 15001)
 * @param inboundPort the inbound capture port (Istio's 15006)
 * @param adminPort the proxy's admin port on loopback (Envoy's 15000)
 */
public record InjectionConfig(
        String image,
        List<String> command,
        String controlPlane,
        String revision,
        int proxyUid,
        int outboundPort,
        int inboundPort,
        int adminPort) {
    /** Where a control plane installed from deploy/ serves xDS. */
    public static final String DEFAULT_CONTROL_PLANE = "zonemesh-control-plane.zonemesh-system.svc:15010";
    /** The image the deploy/ manifests name. */
    public static final String DEFAULT_IMAGE = "zonemesh/zonemesh:0.1.0";

    public InjectionConfig {
        Objects.requireNonNull(image, "image");
        command = List.copyOf(command);
        Objects.requireNonNull(controlPlane, "controlPlane");
        Objects.requireNonNull(revision, "revision");
        if (image.isBlank()) {
            throw new IllegalArgumentException("image: '' (expected: an image reference)");
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command: [] (expected: the image's zonemesh executable)");
        }
        if (!controlPlane.matches("[^:\\s]+:\\d{1,5}")) {
            throw new IllegalArgumentException("controlPlane: " + controlPlane + " (expected: host:port)");
        }
        for (int port : new int[] {outboundPort, inboundPort, adminPort}) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
            }
        }
        if (proxyUid < 1) {
            throw new IllegalArgumentException("proxyUid: " + proxyUid + " (expected: a non-root UID)");
        }
    }

    /**
     * The CA the sidecar asks for its certificate: the control plane's host on its TLS port 15012,
     * as Istio's injected {@code CA_ADDR} names istiod's {@code :15012}.
     */
    public String caAddress() {
        return controlPlane.substring(0, controlPlane.lastIndexOf(':')) + ":15012";
    }

    /** Istio's defaults with zonemesh's image and control plane address. */
    public static InjectionConfig defaults() {
        return new InjectionConfig(
                DEFAULT_IMAGE, List.of("zonemesh"), DEFAULT_CONTROL_PLANE, "default", 1337, 15001, 15006, 15000);
    }

    /** The same configuration with another control plane address. */
    public InjectionConfig withControlPlane(String address) {
        return new InjectionConfig(image, command, address, revision, proxyUid, outboundPort, inboundPort, adminPort);
    }

    /** The same configuration with another image. */
    public InjectionConfig withImage(String newImage) {
        return new InjectionConfig(
                newImage, command, controlPlane, revision, proxyUid, outboundPort, inboundPort, adminPort);
    }
}
