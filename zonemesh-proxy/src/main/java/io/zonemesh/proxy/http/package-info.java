/**
 * The Netty HTTP/1.1 data plane: listeners that accept application (outbound) and mesh
 * (inbound) traffic, route each request through the current
 * {@link io.zonemesh.proxy.snapshot.ProxySnapshot}, pick a host with the cluster's load
 * balancer and forward over a pooled keep-alive connection living on the downstream channel's
 * event loop. Requests are buffered (for retries and mirrors), responses streamed. Local replies
 * carry Envoy's status codes and response flags.
 */
package io.zonemesh.proxy.http;
