package io.zonemesh.config.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthentication;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLS;
import io.fabric8.istio.api.api.type.v1beta1.WorkloadSelector;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.PeerAuthenticationConfig;
import io.zonemesh.model.istio.PeerAuthenticationConfig.Mode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code PeerAuthentication} spec (v1 and v1beta1 share it), validated as Istio's
 * {@code ValidatePeerAuthentication} and {@code validateWorkloadSelector}
 * ({@code pkg/config/validation/validation.go}).
 */
final class PeerAuthenticationParser {
    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final FieldPath PORT_LEVEL = SPEC.field("portLevelMtls");
    private static final FieldPath CREATED = FieldPath.of("metadata", "creationTimestamp");

    private PeerAuthenticationParser() {}

    static PeerAuthenticationConfig parse(@Nullable PeerAuthentication in, ParseContext ctx) {
        PeerAuthentication spec = in == null ? new PeerAuthentication() : in;
        io.zonemesh.model.istio.WorkloadSelector selector = selector(spec.getSelector(), ctx);
        boolean emptySelector = selector == null || selector.matchLabels().isEmpty();
        Map<Integer, Mode> ports = new LinkedHashMap<>();
        Map<String, PeerAuthenticationMutualTLS> portsIn = spec.getPortLevelMtls();
        JsonNode rawPorts = ctx.raw(PORT_LEVEL);
        if (rawPorts != null && rawPorts.isObject() && rawPorts.isEmpty()) {
            ctx.invalid(PORT_LEVEL, "{} (expected: at least one port when portLevelMtls is set)");
        }
        if (portsIn != null && !portsIn.isEmpty() && emptySelector) {
            // Istio: "mesh/namespace peer authentication cannot have port level mTLS".
            ctx.invalid(
                    PORT_LEVEL,
                    "set on a mesh- or namespace-wide policy (expected: portLevelMtls only with a selector "
                            + "with matchLabels)");
        }
        if (portsIn != null) {
            portsIn.forEach((key, value) -> {
                Integer port = port(key, ctx);
                if (port != null) {
                    ports.put(port, mode(value));
                }
            });
        }
        return new PeerAuthenticationConfig(ctx.meta(), selector, mode(spec.getMtls()), ports, created(ctx));
    }

    private static @Nullable Integer port(String key, ParseContext ctx) {
        long value;
        try {
            value = Long.parseLong(key);
        } catch (NumberFormatException e) {
            ctx.invalid(PORT_LEVEL.field(key), '"' + key + "\" (expected: a port number 1..65535 as the key)");
            return null;
        }
        if (value < 1 || value > 65535) {
            ctx.invalid(PORT_LEVEL.field(key), value + " (expected: a port number 1..65535 as the key)");
            return null;
        }
        return (int) value;
    }

    /** The mode of {@code mtls}; UNSET when absent (the decoder already rejected unknown names). */
    private static Mode mode(@Nullable PeerAuthenticationMutualTLS mtls) {
        if (mtls == null || mtls.getMode() == null) {
            return Mode.UNSET;
        }
        return Mode.valueOf(mtls.getMode().name());
    }

    private static io.zonemesh.model.istio.@Nullable WorkloadSelector selector(
            @Nullable WorkloadSelector in, ParseContext ctx) {
        if (in == null) {
            return null;
        }
        FieldPath path = SPEC.field("selector").field("matchLabels");
        Map<String, String> labels = Values.strings(in.getMatchLabels());
        if (labels.isEmpty()) {
            ctx.warn(SPEC.field("selector"), "a selector without matchLabels selects every workload of the namespace");
        }
        Map<String, String> plain = new LinkedHashMap<>();
        labels.forEach((k, v) -> {
            if (k.isEmpty()) {
                ctx.invalid(path, "\"=" + v + "\" (expected: a non-empty label key)");
            } else if (k.contains("*") || v.contains("*")) {
                ctx.invalid(path.field(k), '"' + k + "=" + v + "\" (expected: no wildcard in a selector)");
            } else {
                plain.put(k, v);
            }
        });
        Labels.validate(plain, path, ctx);
        return new io.zonemesh.model.istio.WorkloadSelector(labels);
    }

    private static @Nullable Instant created(ParseContext ctx) {
        JsonNode raw = ctx.raw(CREATED);
        if (raw == null || raw.isNull()) {
            return null;
        }
        try {
            return Instant.parse(raw.asText());
        } catch (DateTimeParseException e) {
            ctx.invalid(CREATED, '"' + raw.asText() + "\" (expected: an RFC 3339 time such as 2026-01-02T15:04:05Z)");
            return null;
        }
    }
}
