package io.zonemesh.config;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.Diagnostic.Severity;
import java.util.Objects;

/**
 * Every code a {@link Diagnostic} can carry, in one place (the idea of Istio's
 * {@code galley/pkg/config/analysis/msg/messages.yaml}): the stable code users search for, its
 * usual severity and what it means. {@code ZM00xx} are loader failures, {@code ZM01xx} schema
 * and validation errors found in one resource, {@code ZM02xx} findings of the {@code Analyzer}
 * that need the whole mesh, {@code ZM03xx} what xDS generation leaves out (found by
 * {@code zonemesh analyze}, which runs the generators).
 */
public enum DiagnosticCode {
    INTERNAL_ERROR(
            "ZM0001",
            Severity.ERROR,
            "zonemesh failed unexpectedly while reading this input; please report it with the input."),
    UNREADABLE_SOURCE("ZM0002", Severity.ERROR, "A file or directory could not be read."),

    MALFORMED_YAML("ZM0100", Severity.ERROR, "The document is not valid YAML; the message gives line and column."),
    UNKNOWN_KIND(
            "ZM0101",
            Severity.ERROR,
            "The apiVersion/kind is not one zonemesh reads; the message lists the supported ones."),
    UNKNOWN_FIELD(
            "ZM0102",
            Severity.ERROR,
            "A field that the resource's schema does not have (often a typo or wrong indentation)."),
    WRONG_TYPE("ZM0103", Severity.ERROR, "A value of the wrong type, e.g. a string where an integer is expected."),
    MISSING_FIELD("ZM0104", Severity.ERROR, "A required field is missing or empty."),
    INVALID_VALUE("ZM0105", Severity.ERROR, "A value that Istio or Kubernetes validation rejects."),
    DUPLICATE_RESOURCE("ZM0106", Severity.ERROR, "Two resources with the same kind, namespace and name."),
    VALIDATION_WARNING("ZM0107", Severity.WARNING, "A value Istio accepts but warns about."),
    UNSUPPORTED_FIELD(
            "ZM0108", Severity.WARNING, "A valid Istio field that zonemesh does not implement; it is ignored."),

    FAILOVER_WITHOUT_OUTLIER_DETECTION(
            "ZM0201",
            Severity.WARNING,
            "Locality failover cannot happen: Istio orders endpoints by the caller's locality (and honours failover "
                    + "settings) only when the DestinationRule has outlierDetection; without it traffic is spread "
                    + "across all zones and failed endpoints are never ejected."),
    OUTLIER_DETECTION_NEVER_EJECTS(
            "ZM0202",
            Severity.WARNING,
            "Outlier detection can never eject a host: Envoy ejects only while 100*(ejected+1)/hosts <= "
                    + "maxEjectionPercent."),
    UNKNOWN_DESTINATION_HOST(
            "ZM0203",
            Severity.WARNING,
            "A DestinationRule or route names a host that no Service or ServiceEntry defines."),
    UNDEFINED_SUBSET(
            "ZM0204",
            Severity.ERROR,
            "A VirtualService routes to a subset that no DestinationRule for the host defines; requests fail "
                    + "with 503."),
    SUBSET_SELECTS_NOTHING("ZM0205", Severity.WARNING, "A DestinationRule subset's labels select no endpoint."),
    DISTRIBUTE_DROPS_ENDPOINTS(
            "ZM0206",
            Severity.WARNING,
            "localityLbSetting.distribute removes endpoints that have no locality from every assignment."),
    DESTINATION_RULE_NOT_VISIBLE(
            "ZM0207",
            Severity.WARNING,
            "A DestinationRule in another namespace than its host's service that callers cannot see."),
    PEER_AUTHENTICATION_SELECTS_NOTHING(
            "ZM0208",
            Severity.WARNING,
            "A workload-level PeerAuthentication that applies to no workload: its selector matches no pod or "
                    + "WorkloadEntry of its namespace, or it sits in the root namespace, where istiod ignores policies "
                    + "with a selector."),
    ISTIO_MUTUAL_WITHOUT_SIDECAR(
            "ZM0209",
            Severity.WARNING,
            "A DestinationRule sends ISTIO_MUTUAL to endpoints without a sidecar (no security.istio.io/tlsMode: "
                    + "istio label): they cannot terminate Istio mutual TLS, so those connections fail."),
    ZONE_AWARE_INEFFECTIVE(
            "ZM0210",
            Severity.WARNING,
            "zoneAwareLbSetting cannot take effect for some callers: Envoy routes zone-aware only when the upstream "
                    + "has at least minClusterSize healthy hosts in the caller's region and the caller's own "
                    + "Deployment (its local_cluster) spans two or more zones."),
    POD_PENDING(
            "ZM0211",
            Severity.WARNING,
            "A pod stays Pending as on Kubernetes: Nodes are declared but its nodeName or nodeSelector matches none, "
                    + "so it gets no endpoint and no sidecar."),
    IGNORED_KINDS(
            "ZM0212",
            Severity.INFO,
            "Resources of kinds zonemesh reads but does not use (ConfigMaps, Ingresses, AuthorizationPolicies, "
                    + "RequestAuthentications, ...): accepted and left out of the mesh."),
    NETWORK_GATEWAY_UNUSABLE(
            "ZM0213",
            Severity.WARNING,
            "A Service labelled topology.istio.io/network that cannot be that network's gateway: it does not "
                    + "expose the gateway port (15443 or its networking.istio.io/gatewayPort label), or an address "
                    + "is a host name (istiod drops those)."),
    TELEMETRY_UNKNOWN_PROVIDER(
            "ZM0214",
            Severity.WARNING,
            "A Telemetry accessLogging provider that is neither envoy nor a meshConfig extensionProviders "
                    + "envoyFileAccessLog entry: nothing is logged for it."),
    LEFT_OUT_OF_XDS(
            "ZM0301",
            Severity.ERROR,
            "Part of the configuration the control plane leaves out of what it pushes, so the rest stays valid "
                    + "(a route to an undefined subset, a gateway server it cannot serve, ...).");

    private final String code;
    private final Severity severity;
    private final String description;

    DiagnosticCode(String code, Severity severity, String description) {
        this.code = code;
        this.severity = severity;
        this.description = description;
    }

    /** The stable code, e.g. {@code ZM0102}. */
    public String code() {
        return code;
    }

    /** The severity findings with this code usually have. */
    public Severity severity() {
        return severity;
    }

    public String description() {
        return description;
    }

    /** A diagnostic with this code at its usual severity. */
    public Diagnostic diagnostic(String source, int document, String resource, String fieldPath, String message) {
        return diagnostic(severity, source, document, resource, fieldPath, message);
    }

    /** A diagnostic with this code at an explicit severity (some findings are worse in context). */
    public Diagnostic diagnostic(
            Severity actual, String source, int document, String resource, String fieldPath, String message) {
        return new Diagnostic(
                Objects.requireNonNull(actual, "actual"), code, source, document, resource, fieldPath, message);
    }

    /** The code's entry for a {@code ZMnnnn} string, or null. */
    public static @Nullable DiagnosticCode of(String code) {
        for (DiagnosticCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return null;
    }
}
