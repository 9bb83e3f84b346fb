package io.zonemesh.proxy.accesslog;

/** A compiled access-log format: text ({@link TextFormat}) or a JSON object ({@link JsonFormat}). */
public sealed interface LogFormatter permits TextFormat, JsonFormat {
    /** The line for {@code entry}, with its trailing newline when the format has one. */
    String format(AccessLogEntry entry);
}
