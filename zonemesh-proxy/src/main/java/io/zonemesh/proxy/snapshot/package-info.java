/**
 * The immutable {@link io.zonemesh.proxy.snapshot.ProxySnapshot} that request handling reads with
 * one volatile load, and the serial-executor machinery that builds it from accepted xDS
 * resources: one load balancer per cluster, created, updated and closed as clusters and their
 * endpoint assignments change.
 */
package io.zonemesh.proxy.snapshot;
