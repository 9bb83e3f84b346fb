/**
 * The proxy's xDS client: one ADS stream (state of the world) that subscribes to listeners and
 * clusters, then to the route configurations and endpoint assignments they name; validates
 * every response, NACKs any response with an invalid resource (listing every problem) and
 * keeps the last good resources; hands accepted resources to a watcher on one serial executor.
 */
package io.zonemesh.proxy.xds;
