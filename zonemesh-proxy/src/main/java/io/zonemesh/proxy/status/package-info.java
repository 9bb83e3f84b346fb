/**
 * The proxy's status port ({@code zonemesh proxy --status}): Istio's readiness endpoint
 * {@code /healthz/ready} on 15021 for the kubelet's probes and load balancers' health checks.
 */
package io.zonemesh.proxy.status;
