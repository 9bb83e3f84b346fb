/**
 * Envoy's {@code tcp_proxy}: listeners whose filter chains are chosen by SNI and ALPN peeked from
 * the ClientHello and whose connections are relayed byte for byte (TLS passed through, never
 * terminated) to a host of the chain's cluster.
 */
package io.zonemesh.proxy.tcp;
