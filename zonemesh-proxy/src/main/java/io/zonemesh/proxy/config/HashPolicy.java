package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One of a route's {@code hash_policy} entries: where the request's consistent-hash key comes
 * from. {@code terminal} stops the evaluation once a hash exists.
 */
public sealed interface HashPolicy {

    boolean terminal();

    /** {@code header}: the header's values (pseudo-headers included), sorted and concatenated. */
    record Header(String name, @Nullable RouteAction.RegexRewrite rewrite, boolean terminal) implements HashPolicy {
        public Header {
            Objects.requireNonNull(name, "name");
            name = name.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code cookie}: the cookie's value; when it is missing and {@code ttl} is set, the proxy
     * makes one up from the client address and sets it on the response, as Envoy does.
     */
    record Cookie(String name, @Nullable Duration ttl, String path, boolean terminal) implements HashPolicy {
        public Cookie {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
        }
    }

    /** {@code connection_properties.source_ip}: the client's IP address. */
    record SourceIp(boolean terminal) implements HashPolicy {}

    /** {@code query_parameter}: the parameter's first value. */
    record QueryParameter(String name, boolean terminal) implements HashPolicy {
        public QueryParameter {
            Objects.requireNonNull(name, "name");
        }
    }
}
