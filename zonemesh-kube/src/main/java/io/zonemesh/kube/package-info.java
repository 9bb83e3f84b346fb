/**
 * The Kubernetes source of zonemesh: fabric8 informers on each cluster's API server feed the
 * registry as istiod's Kubernetes registry does, and the sidecar injector turns a pod into a
 * meshed pod. Depends on registry, config, model and common only (ARCHITECTURE.md).
 */
package io.zonemesh.kube;
