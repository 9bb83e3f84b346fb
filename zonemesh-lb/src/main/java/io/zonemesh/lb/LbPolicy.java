package io.zonemesh.lb;

/** Envoy's {@code Cluster.lb_policy} values the proxy implements. */
public enum LbPolicy { ROUND_ROBIN, LEAST_REQUEST, RANDOM }
