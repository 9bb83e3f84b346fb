package io.zonemesh.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.istio.MeshAccessLog;
import io.zonemesh.model.istio.ResourceMeta;
import io.zonemesh.model.istio.TelemetryConfig;
import io.zonemesh.model.istio.WorkloadSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** istiod's access_log on sidecar and gateway HCMs, from meshConfig and the Telemetry API. */
class AccessLogGenerationTest {
    private final XdsGenerator generator = new XdsGenerator();

    private static MeshState with(MeshAccessLog mesh, TelemetryConfig... telemetries) {
        MeshState s = CanaryMesh.state();
        return new MeshState(
                s.version(),
                s.services(),
                s.endpointsByHost(),
                s.workloads(),
                s.istio().withTelemetry(mesh, List.of(telemetries)),
                s.settings(),
                s.networkGateways());
    }

    private static TelemetryConfig telemetry(
            String namespace, Map<String, String> selector, List<String> providers, Boolean disabled) {
        return new TelemetryConfig(
                new ResourceMeta("Telemetry", namespace, "t", Map.of(), Map.of(), "t.yaml", 1),
                selector.isEmpty() ? null : new WorkloadSelector(selector),
                List.of(new TelemetryConfig.AccessLogging(providers, disabled)));
    }

    private static final MeshAccessLog STDOUT_TEXT =
            new MeshAccessLog("/dev/stdout", MeshAccessLog.Encoding.TEXT, "", Map.of(), List.of());

    /** Every HCM's access_log paths, per listener, in order. */
    private static List<String> paths(List<Listener> listeners) throws InvalidProtocolBufferException {
        List<String> out = new ArrayList<>();
        for (Listener l : listeners) {
            for (FilterChain chain : l.getFilterChainsList()) {
                for (Filter f : chain.getFiltersList()) {
                    if (f.getTypedConfig().is(HttpConnectionManager.class)) {
                        for (AccessLog log : f.getTypedConfig()
                                .unpack(HttpConnectionManager.class)
                                .getAccessLogList()) {
                            out.add(l.getName() + "="
                                    + log.getTypedConfig()
                                            .unpack(FileAccessLog.class)
                                            .getPath());
                        }
                    }
                }
            }
        }
        return out;
    }

    private List<String> sidecarPaths(MeshState state) throws InvalidProtocolBufferException {
        XdsResources out = generator.generate(state, CanaryMesh.sidecar());
        return paths(out.listeners());
    }

    @Test
    void meshConfigAccessLogFileGoesOnEverySidecarAndGatewayHcm() throws Exception {
        MeshState state = with(STDOUT_TEXT);

        GoldenFiles.assertMatches(
                "canary/access-log-sidecar-listeners.json",
                XdsJson.print(new XdsResources(
                        generator.generate(state, CanaryMesh.sidecar()).listeners(), List.of(), List.of(), List.of())));
        assertThat(paths(generator.generate(state, CanaryMesh.gateway()).listeners()))
                .isNotEmpty()
                .allMatch(p -> p.endsWith("=/dev/stdout"));
    }

    @Test
    void noAccessLogByDefault() throws Exception {
        assertThat(sidecarPaths(CanaryMesh.state())).isEmpty();
    }

    @Test
    void jsonEncodingUsesIstiosJsonFormat() throws Exception {
        MeshState state = with(new MeshAccessLog("/dev/stdout", MeshAccessLog.Encoding.JSON, "", Map.of(), List.of()));
        Listener outbound =
                generator.generate(state, CanaryMesh.sidecar()).listeners().get(0);
        FileAccessLog log = outbound.getFilterChains(0)
                .getFilters(0)
                .getTypedConfig()
                .unpack(HttpConnectionManager.class)
                .getAccessLog(0)
                .getTypedConfig()
                .unpack(FileAccessLog.class);

        assertThat(log.getLogFormat()
                        .getJsonFormat()
                        .getFieldsMap()
                        .get("response_code")
                        .getStringValue())
                .isEqualTo("%RESPONSE_CODE%");
        assertThat(log.getLogFormat().getJsonFormat().getFieldsCount())
                .isEqualTo(AccessLogGenerator.ISTIO_JSON_FORMAT.size());
    }

    @Test
    void telemetryProvidersNamespaceAndWorkloadPrecedenceAsIstio() throws Exception {
        MeshAccessLog providers = new MeshAccessLog(
                "",
                MeshAccessLog.Encoding.TEXT,
                "",
                Map.of("file", new MeshAccessLog.FileProvider("file", "/var/log/a.log", "%RESPONSE_CODE%", null)),
                List.of());
        TelemetryConfig meshWide = telemetry("istio-system", Map.of(), List.of("envoy"), null);
        TelemetryConfig namespace = telemetry("dev", Map.of(), List.of("file"), null);
        TelemetryConfig workloadOff = telemetry("dev", Map.of("version", "v1"), List.of("file"), true);
        TelemetryConfig otherWorkload = telemetry("dev", Map.of("version", "v2"), List.of("file"), true);

        assertThat(sidecarPaths(with(providers, meshWide))).contains("virtualOutbound=/dev/stdout");
        assertThat(sidecarPaths(with(providers, meshWide, namespace)))
                .contains("virtualOutbound=/dev/stdout", "virtualOutbound=/var/log/a.log");
        assertThat(sidecarPaths(with(providers, meshWide, namespace, otherWorkload)))
                .contains("virtualOutbound=/var/log/a.log");
        assertThat(sidecarPaths(with(providers, meshWide, namespace, workloadOff)))
                .contains("virtualOutbound=/dev/stdout")
                .doesNotContain("virtualOutbound=/var/log/a.log");
    }

    @Test
    void telemetryDisabledTurnsTheMeshConfigFileOff() throws Exception {
        assertThat(sidecarPaths(with(STDOUT_TEXT, telemetry("dev", Map.of(), List.of(), true))))
                .isEmpty();
    }
}
