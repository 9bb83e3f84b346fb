package io.zonemesh.config.analysis;

import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.Map;

/**
 * A pod as the analyzer sees it: one replica of a Deployment, or a bare Pod.
 *
 * @param owner the Deployment or Pod resource it comes from
 * @param sidecar whether Istio's injection rules give it a sidecar (so it is a meshed caller)
 */
record PodView(String namespace, ResourceMeta owner, Map<String, String> labels, Locality locality, boolean sidecar) {}
