/**
 * The proxy's validated, immutable view of the xDS resources it accepted: listeners, route
 * tables with Envoy's virtual-host and route matching, clusters and endpoint assignments.
 * Built only by the parsers in {@code io.zonemesh.proxy.xds}; read from every event loop.
 */
package io.zonemesh.proxy.config;
