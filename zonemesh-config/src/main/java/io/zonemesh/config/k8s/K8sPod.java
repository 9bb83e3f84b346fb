package io.zonemesh.config.k8s;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.ResourceMeta;

/** A bare Pod. {@code ready} is false only when its status says a Ready condition is False. */
public record K8sPod(
        ResourceMeta meta, PodTemplate spec, @Nullable String podIp, boolean ready) implements K8sMeta {}
