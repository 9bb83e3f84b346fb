package io.zonemesh.proxy.accesslog;

import java.util.Objects;

/**
 * One validated HCM {@code access_log} entry: where lines go and how they look. Envoy's
 * {@code envoy.access_loggers.file} writes to {@code path} (which may be {@code /dev/stdout});
 * {@code envoy.access_loggers.stdout} is the same with {@link #STDOUT}.
 */
public record AccessLogConfig(String path, LogFormatter formatter) {
    /** The path {@code envoy.access_loggers.stdout} writes to. */
    public static final String STDOUT = "/dev/stdout";

    public AccessLogConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(formatter, "formatter");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path: \"\" (expected: a file path)");
        }
    }
}
