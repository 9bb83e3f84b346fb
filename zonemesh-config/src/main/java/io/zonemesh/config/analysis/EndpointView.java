package io.zonemesh.config.analysis;

import io.zonemesh.model.Locality;
import java.util.Map;

/** One endpoint of a service, with the labels subsets select on and its locality. */
record EndpointView(String workload, Map<String, String> labels, Locality locality) {}
