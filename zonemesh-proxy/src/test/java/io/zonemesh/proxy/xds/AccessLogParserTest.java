package io.zonemesh.proxy.xds;

import static io.zonemesh.proxy.testing.EnvoyResources.ads;
import static io.zonemesh.proxy.testing.EnvoyResources.listener;
import static io.zonemesh.proxy.testing.EnvoyResources.router;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.StatusCodeFilter;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.zonemesh.proxy.accesslog.AccessLogConfig;
import io.zonemesh.proxy.accesslog.JsonFormat;
import io.zonemesh.proxy.accesslog.TextFormat;
import io.zonemesh.proxy.config.ListenerConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessLogParserTest {

    private static AccessLog file(FileAccessLog file) {
        return AccessLog.newBuilder()
                .setName("envoy.access_loggers.file")
                .setTypedConfig(Any.pack(file))
                .build();
    }

    private static SubstitutionFormatString text(String format) {
        return SubstitutionFormatString.newBuilder()
                .setTextFormatSource(DataSource.newBuilder().setInlineString(format))
                .build();
    }

    private static ListenerConfig parse(ValidationErrors errors, AccessLog... logs) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName("http_proxy"))
                .addHttpFilters(router())
                .addAllAccessLog(List.of(logs))
                .build();
        return ListenerParser.parse(
                listener("virtualOutbound", TrafficDirection.OUTBOUND, hcm),
                Set.of(),
                errors.forResource("Listener", "virtualOutbound"));
    }

    @Test
    void readsIstiosFileLoggerWithAnInlineTextFormat() {
        ValidationErrors errors = new ValidationErrors();
        ListenerConfig config = parse(
                errors,
                file(FileAccessLog.newBuilder()
                        .setPath("/dev/stdout")
                        .setLogFormat(text("%RESPONSE_CODE% %UPSTREAM_HOST%\n"))
                        .build()));

        assertThat(errors.messages()).isEmpty();
        assertThat(config.accessLogs())
                .containsExactly(new AccessLogConfig(
                        "/dev/stdout", TextFormat.compile("%RESPONSE_CODE% %UPSTREAM_HOST%\n", false)));
    }

    @Test
    @SuppressWarnings("deprecation") // FileAccessLog.format, which Envoy still accepts
    void readsJsonTheDeprecatedFormatTheStdoutLoggerAndDefaultsToEnvoysFormat() {
        Struct json = Struct.newBuilder()
                .putFields(
                        "code",
                        Value.newBuilder().setStringValue("%RESPONSE_CODE%").build())
                .build();
        ValidationErrors errors = new ValidationErrors();
        ListenerConfig config = parse(
                errors,
                file(FileAccessLog.newBuilder()
                        .setPath("/tmp/a.log")
                        .setLogFormat(SubstitutionFormatString.newBuilder().setJsonFormat(json))
                        .build()),
                file(FileAccessLog.newBuilder()
                        .setPath("/tmp/b.log")
                        .setFormat("%PROTOCOL%")
                        .build()),
                AccessLog.newBuilder()
                        .setName("envoy.access_loggers.stdout")
                        .setTypedConfig(Any.pack(StdoutAccessLog.getDefaultInstance()))
                        .build());

        assertThat(errors.messages()).isEmpty();
        assertThat(config.accessLogs())
                .containsExactly(
                        new AccessLogConfig("/tmp/a.log", JsonFormat.compile(json, false)),
                        new AccessLogConfig("/tmp/b.log", TextFormat.compile("%PROTOCOL%", false)),
                        new AccessLogConfig("/dev/stdout", TextFormat.compile(TextFormat.ENVOY_DEFAULT, false)));
    }

    @Test
    void nacksAnUnknownOperatorNamingItAndTheField() {
        ValidationErrors errors = new ValidationErrors();

        assertThat(parse(
                        errors,
                        file(FileAccessLog.newBuilder()
                                .setPath("/dev/stdout")
                                .setLogFormat(text("%RESPONSE_CODE% %BOGUS_FIELD%"))
                                .build())))
                .isNull();
        assertThat(errors.joined())
                .isEqualTo("Listener virtualOutbound: filter_chains[0].filters[0].typed_config.access_log[0]"
                        + ".typed_config: unknown command operator %BOGUS_FIELD% (expected: a format string of "
                        + "the Envoy command operators zonemesh-proxy supports)");
    }

    @Test
    void nacksAnEmptyPathAFilterAndAnotherLoggerTogether() {
        ValidationErrors errors = new ValidationErrors();

        assertThat(parse(
                        errors,
                        file(FileAccessLog.getDefaultInstance()),
                        file(FileAccessLog.newBuilder().setPath("/dev/stdout").build()).toBuilder()
                                .setFilter(AccessLogFilter.newBuilder()
                                        .setStatusCodeFilter(StatusCodeFilter.getDefaultInstance()))
                                .build(),
                        AccessLog.newBuilder()
                                .setName("envoy.access_loggers.http_grpc")
                                .setTypedConfig(Any.pack(Struct.getDefaultInstance()))
                                .build()))
                .isNull();
        assertThat(errors.messages())
                .hasSize(3)
                .anySatisfy(m -> assertThat(m).contains("access_log[0].typed_config.path: \"\""))
                .anySatisfy(m -> assertThat(m).contains("access_log[1].filter: STATUS_CODE_FILTER"))
                .anySatisfy(m -> assertThat(m)
                        .contains("access_log[2].typed_config: type.googleapis.com/google.protobuf.Struct"));
    }
}
