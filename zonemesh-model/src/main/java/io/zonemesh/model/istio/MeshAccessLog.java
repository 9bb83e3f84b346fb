package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Istio's MeshConfig access-log fields: the legacy {@code accessLogFile}/{@code accessLogEncoding}/
 * {@code accessLogFormat}, the {@code envoyFileAccessLog} extension providers and
 * {@code defaultProviders.accessLogging} that the Telemetry API names.
 *
 * @param file {@code accessLogFile}; "" (Istio's default) turns the legacy access log off
 * @param format {@code accessLogFormat}; "" is Istio's default format of the encoding
 * @param providers {@code extensionProviders[].envoyFileAccessLog}, by name
 * @param defaultProviders {@code defaultProviders.accessLogging}: what a Telemetry rule without
 *     providers uses
 */
public record MeshAccessLog(
        String file,
        Encoding encoding,
        String format,
        Map<String, FileProvider> providers,
        List<String> defaultProviders) {

    /** Istio's built-in provider: {@code /dev/stdout} in the meshConfig format. */
    public static final String ENVOY_PROVIDER = "envoy";

    /** Istio's defaults: no access log. */
    public static final MeshAccessLog OFF = new MeshAccessLog("", Encoding.TEXT, "", Map.of(), List.of());

    /** {@code accessLogEncoding}. */
    public enum Encoding {
        TEXT,
        JSON
    }

    /**
     * An {@code envoyFileAccessLog} provider.
     *
     * @param path "" means {@code /dev/stdout}, as Istio
     * @param text {@code logFormat.text}, null when unset
     * @param labels {@code logFormat.labels} (a JSON log), null when unset
     */
    public record FileProvider(
            String name,
            String path,
            @Nullable String text,
            @Nullable Map<String, Object> labels) {
        public FileProvider {
            Objects.requireNonNull(name, "name");
            path = Objects.requireNonNullElse(path, "");
            labels = labels == null ? null : Map.copyOf(labels);
        }
    }

    public MeshAccessLog {
        file = Objects.requireNonNullElse(file, "");
        Objects.requireNonNull(encoding, "encoding");
        format = Objects.requireNonNullElse(format, "");
        providers = Map.copyOf(providers);
        defaultProviders = List.copyOf(defaultProviders);
    }
}
