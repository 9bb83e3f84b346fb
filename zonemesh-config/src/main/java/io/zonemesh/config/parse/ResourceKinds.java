package io.zonemesh.config.parse;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.k8s.IgnoredResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The apiVersion/kind pairs zonemesh reads, each with its fabric8 model class and parser. All
 * three served versions of Istio's networking API (v1alpha3, v1beta1, v1) share one spec schema
 * and so one parser.
 */
public final class ResourceKinds {
    /**
     * One supported apiVersion/kind.
     *
     * @param dns1035Name whether names follow the stricter DNS-1035 label rule (Services)
     */
    public record Entry(
            String apiVersion,
            String kind,
            Class<? extends HasMetadata> type,
            boolean namespaced,
            boolean dns1035Name,
            BiFunction<HasMetadata, ParseContext, Object> parser) {}

    private static final String ISTIO = "networking.istio.io/";
    private static final String SECURITY = "security.istio.io/";
    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add(k8s("v1", "Namespace", Namespace.class, false, false, K8sWorkloadParsers::namespace));
        add(k8s("v1", "Node", Node.class, false, false, K8sWorkloadParsers::node));
        add(k8s("v1", "Service", Service.class, true, true, K8sServiceParser::parse));
        add(k8s("v1", "Pod", Pod.class, true, false, K8sWorkloadParsers::pod));
        add(k8s("apps/v1", "Deployment", Deployment.class, true, false, K8sWorkloadParsers::deployment));
        add(k8s("apps/v1", "StatefulSet", StatefulSet.class, true, false, K8sWorkloadParsers::statefulSet));
        add(k8s("apps/v1", "ReplicaSet", ReplicaSet.class, true, false, K8sWorkloadParsers::replicaSet));
        add(k8s("apps/v1", "DaemonSet", DaemonSet.class, true, false, K8sWorkloadParsers::daemonSet));
        // A pod's identity is its spec.serviceAccountName; `zonemesh up` reads the plug-in CA from a
        // `cacerts` Secret.
        add(k8s("v1", "ServiceAccount", ServiceAccount.class, true, false, K8sSecretParser::serviceAccount));
        add(k8s("v1", "Secret", Secret.class, true, false, K8sSecretParser::secret));

        add(security(
                "v1",
                "PeerAuthentication",
                io.fabric8.istio.api.security.v1.PeerAuthentication.class,
                io.fabric8.istio.api.security.v1.PeerAuthentication::getSpec,
                PeerAuthenticationParser::parse));
        add(security(
                "v1beta1",
                "PeerAuthentication",
                io.fabric8.istio.api.security.v1beta1.PeerAuthentication.class,
                io.fabric8.istio.api.security.v1beta1.PeerAuthentication::getSpec,
                PeerAuthenticationParser::parse));

        // Istio policies zonemesh reads strictly (unknown fields stay errors) but does not apply yet.
        String notYet = "zonemesh does not apply Istio authorization and request authentication yet";
        add(ignored(
                "security.istio.io/v1",
                "AuthorizationPolicy",
                io.fabric8.istio.api.security.v1.AuthorizationPolicy.class,
                notYet));
        add(ignored(
                "security.istio.io/v1beta1",
                "AuthorizationPolicy",
                io.fabric8.istio.api.security.v1beta1.AuthorizationPolicy.class,
                notYet));
        add(ignored(
                "security.istio.io/v1",
                "RequestAuthentication",
                io.fabric8.istio.api.security.v1.RequestAuthentication.class,
                notYet));
        add(ignored(
                "security.istio.io/v1beta1",
                "RequestAuthentication",
                io.fabric8.istio.api.security.v1beta1.RequestAuthentication.class,
                notYet));
        // Telemetry is parsed by TelemetryParser before this table is consulted (DocumentParser);
        // the entry gives the Kubernetes source its fabric8 type to watch.
        add(ignored(
                "telemetry.istio.io/v1",
                "Telemetry",
                io.fabric8.istio.api.telemetry.v1.Telemetry.class,
                "read by TelemetryParser (access logging)"));

        add(istio(
                "v1alpha3",
                "DestinationRule",
                io.fabric8.istio.api.networking.v1alpha3.DestinationRule.class,
                io.fabric8.istio.api.networking.v1alpha3.DestinationRule::getSpec,
                DestinationRuleParser::parse));
        add(istio(
                "v1beta1",
                "DestinationRule",
                io.fabric8.istio.api.networking.v1beta1.DestinationRule.class,
                io.fabric8.istio.api.networking.v1beta1.DestinationRule::getSpec,
                DestinationRuleParser::parse));
        add(istio(
                "v1",
                "DestinationRule",
                io.fabric8.istio.api.networking.v1.DestinationRule.class,
                io.fabric8.istio.api.networking.v1.DestinationRule::getSpec,
                DestinationRuleParser::parse));

        add(istio(
                "v1alpha3",
                "VirtualService",
                io.fabric8.istio.api.networking.v1alpha3.VirtualService.class,
                io.fabric8.istio.api.networking.v1alpha3.VirtualService::getSpec,
                VirtualServiceParser::parse));
        add(istio(
                "v1beta1",
                "VirtualService",
                io.fabric8.istio.api.networking.v1beta1.VirtualService.class,
                io.fabric8.istio.api.networking.v1beta1.VirtualService::getSpec,
                VirtualServiceParser::parse));
        add(istio(
                "v1",
                "VirtualService",
                io.fabric8.istio.api.networking.v1.VirtualService.class,
                io.fabric8.istio.api.networking.v1.VirtualService::getSpec,
                VirtualServiceParser::parse));

        add(istio(
                "v1alpha3",
                "ServiceEntry",
                io.fabric8.istio.api.networking.v1alpha3.ServiceEntry.class,
                io.fabric8.istio.api.networking.v1alpha3.ServiceEntry::getSpec,
                ServiceEntryParser::parse));
        add(istio(
                "v1beta1",
                "ServiceEntry",
                io.fabric8.istio.api.networking.v1beta1.ServiceEntry.class,
                io.fabric8.istio.api.networking.v1beta1.ServiceEntry::getSpec,
                ServiceEntryParser::parse));
        add(istio(
                "v1",
                "ServiceEntry",
                io.fabric8.istio.api.networking.v1.ServiceEntry.class,
                io.fabric8.istio.api.networking.v1.ServiceEntry::getSpec,
                ServiceEntryParser::parse));

        add(istio(
                "v1alpha3",
                "WorkloadEntry",
                io.fabric8.istio.api.networking.v1alpha3.WorkloadEntry.class,
                io.fabric8.istio.api.networking.v1alpha3.WorkloadEntry::getSpec,
                WorkloadEntryParser::parse));
        add(istio(
                "v1beta1",
                "WorkloadEntry",
                io.fabric8.istio.api.networking.v1beta1.WorkloadEntry.class,
                io.fabric8.istio.api.networking.v1beta1.WorkloadEntry::getSpec,
                WorkloadEntryParser::parse));
        add(istio(
                "v1",
                "WorkloadEntry",
                io.fabric8.istio.api.networking.v1.WorkloadEntry.class,
                io.fabric8.istio.api.networking.v1.WorkloadEntry::getSpec,
                WorkloadEntryParser::parse));

        add(istio(
                "v1alpha3",
                "Gateway",
                io.fabric8.istio.api.networking.v1alpha3.Gateway.class,
                io.fabric8.istio.api.networking.v1alpha3.Gateway::getSpec,
                GatewayParser::parse));
        add(istio(
                "v1beta1",
                "Gateway",
                io.fabric8.istio.api.networking.v1beta1.Gateway.class,
                io.fabric8.istio.api.networking.v1beta1.Gateway::getSpec,
                GatewayParser::parse));
        add(istio(
                "v1",
                "Gateway",
                io.fabric8.istio.api.networking.v1.Gateway.class,
                io.fabric8.istio.api.networking.v1.Gateway::getSpec,
                GatewayParser::parse));

        add(istio(
                "v1alpha3",
                "Sidecar",
                io.fabric8.istio.api.networking.v1alpha3.Sidecar.class,
                io.fabric8.istio.api.networking.v1alpha3.Sidecar::getSpec,
                SidecarParser::parse));
        add(istio(
                "v1beta1",
                "Sidecar",
                io.fabric8.istio.api.networking.v1beta1.Sidecar.class,
                io.fabric8.istio.api.networking.v1beta1.Sidecar::getSpec,
                SidecarParser::parse));
        add(istio(
                "v1",
                "Sidecar",
                io.fabric8.istio.api.networking.v1.Sidecar.class,
                io.fabric8.istio.api.networking.v1.Sidecar::getSpec,
                SidecarParser::parse));
    }

    private ResourceKinds() {}

    /** The entry for exactly this apiVersion and kind, or null. */
    public static @Nullable Entry find(String apiVersion, String kind) {
        return ENTRIES.get(apiVersion + " " + kind);
    }

    /** Every supported kind, sorted. */
    public static List<String> kinds() {
        TreeSet<String> kinds = new TreeSet<>();
        ENTRIES.values().forEach(e -> kinds.add(e.kind()));
        return List.copyOf(kinds);
    }

    /** The apiVersions that serve {@code kind}, empty if it is not supported at all. */
    public static List<String> apiVersionsOf(String kind) {
        List<String> versions = new ArrayList<>();
        ENTRIES.values().stream().filter(e -> e.kind().equals(kind)).forEach(e -> versions.add(e.apiVersion()));
        return versions;
    }

    private static void add(Entry e) {
        ENTRIES.put(e.apiVersion() + " " + e.kind(), e);
    }

    private static <R extends HasMetadata> Entry k8s(
            String apiVersion,
            String kind,
            Class<R> type,
            boolean namespaced,
            boolean dns1035Name,
            BiFunction<R, ParseContext, Object> parser) {
        return new Entry(apiVersion, kind, type, namespaced, dns1035Name, (r, ctx) -> parser.apply(type.cast(r), ctx));
    }

    /** Decoded strictly, then kept as an {@link IgnoredResource} with {@code reason} (null: used elsewhere). */
    private static Entry ignored(
            String apiVersion, String kind, Class<? extends HasMetadata> type, @Nullable String reason) {
        return new Entry(
                apiVersion, kind, type, true, false, (r, ctx) -> new IgnoredResource(ctx.meta(), apiVersion, reason));
    }

    /**
     * Whether a kind not in the table is accepted unread: any API group except Istio's, whose
     * kinds zonemesh knows (a misspelt Istio kind must stay an error, not silently do nothing).
     */
    public static boolean acceptsUnread(String apiVersion, String kind) {
        String group = group(apiVersion);
        if (group.equals("istio.io") || group.endsWith(".istio.io")) {
            return false;
        }
        // A kind zonemesh reads, in its own group but a version the API server no longer serves
        // (apps/v1beta1 Deployment), is an error too; the same kind name in another group
        // (gateway.networking.k8s.io Gateway) is another resource and is accepted unread.
        return apiVersionsOf(kind).stream().noneMatch(v -> group(v).equals(group));
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static <R extends HasMetadata, S> Entry istio(
            String version,
            String kind,
            Class<R> type,
            Function<R, S> spec,
            BiFunction<S, ParseContext, Object> parser) {
        return new Entry(
                ISTIO + version, kind, type, true, false, (r, ctx) -> parser.apply(spec.apply(type.cast(r)), ctx));
    }

    private static <R extends HasMetadata, S> Entry security(
            String version,
            String kind,
            Class<R> type,
            Function<R, S> spec,
            BiFunction<S, ParseContext, Object> parser) {
        return new Entry(
                SECURITY + version, kind, type, true, false, (r, ctx) -> parser.apply(spec.apply(type.cast(r)), ctx));
    }
}
