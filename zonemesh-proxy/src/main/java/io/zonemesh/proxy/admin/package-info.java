/**
 * The admin server, on loopback only, with Envoy's endpoints: {@code /clusters},
 * {@code /config_dump}, {@code /ready}, {@code /drain_listeners}, {@code /stats},
 * {@code /stats/prometheus}, plus {@code /xds} for the xDS stream state.
 */
package io.zonemesh.proxy.admin;
