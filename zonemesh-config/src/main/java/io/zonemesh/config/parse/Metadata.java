package io.zonemesh.config.parse;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.ResourceMeta;

/** {@code metadata}: identity, labels and annotations, with Kubernetes' defaults and name rules. */
public final class Metadata {
    /** The namespace {@code kubectl apply} uses when a namespaced resource names none. */
    public static final String DEFAULT_NAMESPACE = "default";

    private static final FieldPath METADATA = FieldPath.of("metadata");

    private Metadata() {}

    /**
     * The resource's identity: a namespaced resource without namespace is in {@code default};
     * a cluster-scoped one (Namespace, Node) has the empty namespace.
     */
    public static ResourceMeta toMeta(
            String kind, boolean namespaced, @Nullable ObjectMeta m, String source, int document) {
        String name = m == null || m.getName() == null ? "" : m.getName();
        String namespace = !namespaced
                ? ""
                : m == null || m.getNamespace() == null || m.getNamespace().isEmpty()
                        ? DEFAULT_NAMESPACE
                        : m.getNamespace();
        return new ResourceMeta(
                kind,
                namespace,
                name,
                Values.strings(m == null ? null : m.getLabels()),
                Values.strings(m == null ? null : m.getAnnotations()),
                source,
                document);
    }

    /** Name, namespace and label syntax, as the API server checks them. */
    public static void validate(@Nullable ObjectMeta m, boolean namespaced, boolean dns1035Name, ParseContext ctx) {
        if (m == null) {
            return;
        }
        if (m.getName() != null && !m.getName().isEmpty()) {
            String problem = dns1035Name ? Names.dns1035Label(m.getName()) : Names.dns1123Subdomain(m.getName());
            if (problem != null) {
                ctx.invalid(METADATA.field("name"), problem);
            }
        }
        if (m.getNamespace() != null && !m.getNamespace().isEmpty()) {
            if (!namespaced) {
                ctx.warn(METADATA.field("namespace"), "ignored: " + ctx.meta().kind() + " is cluster-scoped");
            } else {
                String problem = Names.dns1123Label(m.getNamespace());
                if (problem != null) {
                    ctx.invalid(METADATA.field("namespace"), problem);
                }
            }
        }
        Labels.validate(Values.strings(m.getLabels()), METADATA.field("labels"), ctx);
    }
}
