/**
 * Transparent capture: the iptables rules {@code zonemesh proxy-init} installs in a pod's network
 * namespace (Istio's {@code tools/istio-iptables}, {@link io.zonemesh.proxy.capture.CaptureRules}),
 * and the proxy's side of it: listeners that accept captured connections, each one's original
 * destination, and the TCP passthrough for connections that are not HTTP to a known service.
 */
package io.zonemesh.proxy.capture;
