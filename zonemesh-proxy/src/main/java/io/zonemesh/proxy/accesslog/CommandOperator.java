package io.zonemesh.proxy.accesslog;

import io.zonemesh.common.Nullable;

/**
 * One compiled Envoy command operator such as {@code %RESPONSE_CODE%}: extracts its value from an
 * entry. The value is a {@link String}, a {@link Long} (Envoy's numeric operators, which stay
 * numbers in a JSON format) or null when it does not apply (printed {@code -} in text, JSON
 * {@code null}).
 */
@FunctionalInterface
interface CommandOperator {
    @Nullable
    Object extract(AccessLogEntry entry);
}
