/**
 * Request and cluster metrics in Micrometer's Prometheus registry, labelled with the source
 * zone (this proxy's) and the destination zone (the picked host's) so that zone-to-zone
 * traffic, and its cost, can be reported.
 */
package io.zonemesh.proxy.metrics;
