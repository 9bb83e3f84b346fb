package io.zonemesh.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.accesslog.AccessLogConfig;
import io.zonemesh.proxy.accesslog.FormatException;
import io.zonemesh.proxy.accesslog.JsonFormat;
import io.zonemesh.proxy.accesslog.LogFormatter;
import io.zonemesh.proxy.accesslog.TextFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates an HCM's {@code access_log} list: Envoy's {@code envoy.access_loggers.file}
 * ({@code FileAccessLog}: {@code path}, then {@code log_format}, or the deprecated {@code format},
 * {@code json_format}, {@code typed_json_format}; none = Envoy's default format) and
 * {@code envoy.access_loggers.stdout}/{@code stderr}. Every format is compiled here, once; an
 * unknown command operator, an access-log {@code filter} or another logger is NACKed by name.
 */
final class AccessLogParser {
    static final String FILE_TYPE_URL = "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog";
    static final String STDOUT_TYPE_URL =
            "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog";
    static final String STDERR_TYPE_URL =
            "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StderrAccessLog";
    private static final String REQ_WITHOUT_QUERY = "envoy.formatter.req_without_query";

    private AccessLogParser() {}

    static List<AccessLogConfig> parse(List<AccessLog> logs, ValidationErrors errors, String path) {
        List<AccessLogConfig> configs = new ArrayList<>();
        for (int i = 0; i < logs.size(); i++) {
            AccessLogConfig config = parseOne(logs.get(i), errors, path + "[" + i + "]");
            if (config != null) {
                configs.add(config);
            }
        }
        return configs;
    }

    private static @Nullable AccessLogConfig parseOne(AccessLog log, ValidationErrors errors, String path) {
        if (log.hasFilter()) {
            errors.add(
                    path + ".filter",
                    log.getFilter().getFilterSpecifierCase(),
                    "unset (zonemesh-proxy logs every request; access-log filters are not supported)");
            return null;
        }
        Any config = log.getTypedConfig();
        try {
            return switch (config.getTypeUrl()) {
                case FILE_TYPE_URL -> file(config.unpack(FileAccessLog.class), errors, path + ".typed_config");
                case STDOUT_TYPE_URL ->
                    stream(
                            AccessLogConfig.STDOUT,
                            config.unpack(StdoutAccessLog.class),
                            errors,
                            path + ".typed_config");
                case STDERR_TYPE_URL ->
                    stream("/dev/stderr", config.unpack(StderrAccessLog.class), errors, path + ".typed_config");
                default -> {
                    errors.add(
                            path + ".typed_config",
                            config.getTypeUrl().isEmpty() ? "unset" : config.getTypeUrl(),
                            FILE_TYPE_URL + " or " + STDOUT_TYPE_URL);
                    yield null;
                }
            };
        } catch (InvalidProtocolBufferException e) {
            errors.add(path + ".typed_config", "undecodable bytes", "a valid " + config.getTypeUrl());
            return null;
        }
    }

    // Envoy still accepts the deprecated format, json_format and typed_json_format; so does the proxy.
    @SuppressWarnings("deprecation")
    private static @Nullable AccessLogConfig file(FileAccessLog file, ValidationErrors errors, String path) {
        if (file.getPath().isEmpty()) {
            errors.add(path + ".path", "\"\"", "a file path, e.g. /dev/stdout");
            return null;
        }
        LogFormatter formatter = compile(errors, path, () -> switch (file.getAccessLogFormatCase()) {
            case FORMAT -> TextFormat.compile(file.getFormat(), false);
            case JSON_FORMAT -> JsonFormat.compile(file.getJsonFormat(), false);
            case TYPED_JSON_FORMAT -> JsonFormat.compile(file.getTypedJsonFormat(), false);
            case LOG_FORMAT -> substitution(file.getLogFormat(), path + ".log_format");
            default -> TextFormat.compile(TextFormat.ENVOY_DEFAULT, false);
        });
        return formatter == null ? null : new AccessLogConfig(file.getPath(), formatter);
    }

    private static @Nullable AccessLogConfig stream(
            String target, Message stream, ValidationErrors errors, String path) {
        SubstitutionFormatString format = stream instanceof StdoutAccessLog out
                ? (out.hasLogFormat() ? out.getLogFormat() : null)
                : (((StderrAccessLog) stream).hasLogFormat() ? ((StderrAccessLog) stream).getLogFormat() : null);
        LogFormatter formatter = compile(
                errors,
                path,
                () -> format == null
                        ? TextFormat.compile(TextFormat.ENVOY_DEFAULT, false)
                        : substitution(format, path + ".log_format"));
        return formatter == null ? null : new AccessLogConfig(target, formatter);
    }

    /** Envoy's {@code SubstitutionFormatString}; an unset format is Envoy's default text format. */
    @SuppressWarnings("deprecation") // text_format: deprecated, still accepted by Envoy
    private static LogFormatter substitution(SubstitutionFormatString format, String path) {
        for (int i = 0; i < format.getFormattersCount(); i++) {
            TypedExtensionConfig formatter = format.getFormatters(i);
            if (!formatter.getName().equals(REQ_WITHOUT_QUERY)) {
                throw new FormatException(path + ".formatters[" + i + "].name: " + formatter.getName() + " (expected: "
                        + REQ_WITHOUT_QUERY + ", the only formatter extension supported)");
            }
        }
        boolean omit = format.getOmitEmptyValues();
        return switch (format.getFormatCase()) {
            case TEXT_FORMAT -> TextFormat.compile(format.getTextFormat(), omit);
            case JSON_FORMAT -> JsonFormat.compile(format.getJsonFormat(), omit);
            case TEXT_FORMAT_SOURCE ->
                switch (format.getTextFormatSource().getSpecifierCase()) {
                    case INLINE_STRING ->
                        TextFormat.compile(format.getTextFormatSource().getInlineString(), omit);
                    case INLINE_BYTES ->
                        TextFormat.compile(
                                format.getTextFormatSource().getInlineBytes().toString(StandardCharsets.UTF_8), omit);
                    default ->
                        throw new FormatException(path + ".text_format_source: "
                                + format.getTextFormatSource().getSpecifierCase()
                                + " (expected: inline_string or inline_bytes)");
                };
            default -> TextFormat.compile(TextFormat.ENVOY_DEFAULT, omit);
        };
    }

    private interface Compilation {
        LogFormatter compile();
    }

    private static @Nullable LogFormatter compile(ValidationErrors errors, String path, Compilation compilation) {
        try {
            return compilation.compile();
        } catch (FormatException e) {
            errors.add(path, e.reason(), "a format string of the Envoy command operators zonemesh-proxy supports");
            return null;
        }
    }
}
