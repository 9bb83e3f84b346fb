package io.zonemesh.xds;

import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.istio.MeshAccessLog;
import io.zonemesh.model.istio.TelemetryConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which access logs a workload's HCMs get, as istiod's {@code Telemetries.AccessLogging} and
 * {@code AccessLogBuilder.setHTTPAccessLog}: the Telemetry of the root namespace without selector,
 * then its own namespace's without selector, then one whose selector matches its labels, each
 * level's {@code accessLogging} overriding the previous one's per provider ({@code disabled: true}
 * turns a provider off; no providers = {@code defaultProviders.accessLogging}). Without any
 * Telemetry access logging and default providers, the legacy meshConfig {@code accessLogFile}
 * applies (empty = off, Istio's default). Deviation: when Telemetry rules leave no provider on,
 * the result is no log even if {@code accessLogFile} is set (a Telemetry {@code disabled: true}
 * means off); provider names defined nowhere are skipped, as istiod skips them.
 */
final class TelemetryResolution {
    private TelemetryResolution() {}

    static List<AccessLog> accessLogs(MeshState state, String namespace, Map<String, String> labels) {
        MeshAccessLog mesh = state.istio().meshAccessLog();
        String root = state.settings().rootNamespace();
        List<TelemetryConfig> levels = new ArrayList<>();
        addFirst(levels, state, root, null, true);
        if (!namespace.equals(root)) {
            addFirst(levels, state, namespace, null, true);
        }
        addFirst(levels, state, namespace, labels, false);
        if (levels.isEmpty() && mesh.defaultProviders().isEmpty()) {
            return mesh.file().isEmpty() ? List.of() : List.of(AccessLogGenerator.fromMeshConfig(mesh.file(), mesh));
        }
        Map<String, Boolean> enabled = new LinkedHashMap<>();
        if (levels.isEmpty()) {
            mesh.defaultProviders().forEach(p -> enabled.put(p, true));
        }
        for (TelemetryConfig level : levels) {
            for (TelemetryConfig.AccessLogging rule : level.accessLogging()) {
                List<String> names = rule.providers().isEmpty() ? mesh.defaultProviders() : rule.providers();
                boolean on = !Boolean.TRUE.equals(rule.disabled());
                names.forEach(p -> enabled.put(p, on));
            }
        }
        List<AccessLog> logs = new ArrayList<>();
        enabled.forEach((name, on) -> {
            AccessLog log = on ? provider(name, mesh) : null;
            if (log != null) {
                logs.add(log);
            }
        });
        return logs;
    }

    private static @Nullable AccessLog provider(String name, MeshAccessLog mesh) {
        MeshAccessLog.FileProvider provider = mesh.providers().get(name);
        if (provider == null) {
            // Istio's built-in "envoy" provider: /dev/stdout in the meshConfig format.
            return name.equals(MeshAccessLog.ENVOY_PROVIDER)
                    ? AccessLogGenerator.fromMeshConfig(AccessLogGenerator.DEV_STDOUT, mesh)
                    : null;
        }
        if (name.equals(MeshAccessLog.ENVOY_PROVIDER) && provider.text() == null && provider.labels() == null) {
            return AccessLogGenerator.fromMeshConfig(
                    provider.path().isEmpty() ? AccessLogGenerator.DEV_STDOUT : provider.path(), mesh);
        }
        return AccessLogGenerator.fromProvider(provider);
    }

    /**
     * The first Telemetry of {@code namespace} with access logging: without selector when
     * {@code namespaceWide}, else one whose selector matches {@code labels}.
     */
    private static void addFirst(
            List<TelemetryConfig> levels,
            MeshState state,
            String namespace,
            @Nullable Map<String, String> labels,
            boolean namespaceWide) {
        for (TelemetryConfig t : state.istio().telemetries()) {
            if (!t.meta().namespace().equals(namespace) || t.accessLogging().isEmpty()) {
                continue;
            }
            boolean applies = namespaceWide
                    ? t.selector() == null
                    : t.selector() != null && labels != null && t.selector().matches(labels);
            if (applies) {
                levels.add(t);
                return;
            }
        }
    }
}
