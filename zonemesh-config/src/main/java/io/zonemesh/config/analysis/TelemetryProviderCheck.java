package io.zonemesh.config.analysis;

import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.model.istio.MeshAccessLog;
import io.zonemesh.model.istio.TelemetryConfig;
import java.util.List;

/**
 * ZM0214: a Telemetry access-logging rule naming a provider that is neither Istio's built-in
 * {@code envoy} nor a meshConfig {@code extensionProviders} entry with {@code envoyFileAccessLog}:
 * istiod skips such a provider, so the logs the rule asks for are never written.
 */
final class TelemetryProviderCheck implements Check {
    @Override
    public void run(MeshIndex mesh, Findings findings) {
        MeshAccessLog access = mesh.bundle().istio().meshAccessLog();
        for (TelemetryConfig t : mesh.bundle().istio().telemetries()) {
            for (int i = 0; i < t.accessLogging().size(); i++) {
                List<String> providers = t.accessLogging().get(i).providers();
                for (int j = 0; j < providers.size(); j++) {
                    String name = providers.get(j);
                    if (!name.equals(MeshAccessLog.ENVOY_PROVIDER)
                            && !access.providers().containsKey(name)) {
                        findings.add(
                                DiagnosticCode.TELEMETRY_UNKNOWN_PROVIDER,
                                t.meta(),
                                "spec.accessLogging[" + i + "].providers[" + j + "].name",
                                '"' + name + "\" names no access-log provider, so nothing is logged for it (expected: "
                                        + "envoy or a meshConfig extensionProviders entry with envoyFileAccessLog"
                                        + (access.providers().isEmpty()
                                                ? ""
                                                : ": " + access.providers().keySet())
                                        + ")");
                    }
                }
            }
        }
    }
}
