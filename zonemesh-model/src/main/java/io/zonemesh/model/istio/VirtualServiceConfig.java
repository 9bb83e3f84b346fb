package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A validated {@code VirtualService} (HTTP part; TCP/TLS routes are not modelled yet). */
public record VirtualServiceConfig(
        ResourceMeta meta, List<String> hosts, List<String> gateways, List<String> exportTo, List<HttpRoute> http) {

    public VirtualServiceConfig {
        hosts = List.copyOf(hosts);
        gateways = List.copyOf(gateways);
        exportTo = List.copyOf(exportTo);
        http = List.copyOf(http);
    }

    /** {@code http[]}: one rule, matched in order. */
    public record HttpRoute(
            @Nullable String name,
            List<HttpMatch> match,
            List<RouteDestination> route,
            @Nullable Redirect redirect,
            @Nullable Rewrite rewrite,
            @Nullable Duration timeout,
            @Nullable Retries retries,
            @Nullable Fault fault,
            @Nullable Destination mirror,
            @Nullable Double mirrorPercentage,
            @Nullable Headers headers) {
        public HttpRoute {
            match = List.copyOf(match);
            route = List.copyOf(route);
        }
    }

    /** {@code match[]}: all conditions of one entry must hold; entries are ORed. */
    public record HttpMatch(
            @Nullable String name,
            @Nullable StringMatch uri,
            @Nullable StringMatch method,
            @Nullable StringMatch authority,
            @Nullable StringMatch scheme,
            Map<String, StringMatch> headers,
            Map<String, StringMatch> queryParams,
            @Nullable Integer port,
            Map<String, String> sourceLabels,
            List<String> gateways,
            @Nullable String sourceNamespace,
            boolean ignoreUriCase) {
        public HttpMatch {
            headers = Map.copyOf(headers);
            queryParams = Map.copyOf(queryParams);
            sourceLabels = Map.copyOf(sourceLabels);
            gateways = List.copyOf(gateways);
        }
    }

    /** Istio {@code StringMatch}: exactly one of exact/prefix/regex; {@code present} for headers. */
    public record StringMatch(Kind kind, String value) {
        /** Which comparison. PRESENT matches any value of a header that exists. */
        public enum Kind {
            EXACT,
            PREFIX,
            REGEX,
            PRESENT
        }
    }

    /** {@code route[]}: a weighted destination. */
    public record RouteDestination(
            Destination destination, int weight, @Nullable Headers headers) {}

    /** {@code destination}: host, optional subset and port. */
    public record Destination(
            String host, @Nullable String subset, @Nullable Integer port) {}

    /** {@code redirect}. */
    public record Redirect(
            @Nullable String uri,
            @Nullable String authority,
            @Nullable Integer port,
            @Nullable String scheme,
            int redirectCode) {}

    /** {@code rewrite}. */
    public record Rewrite(
            @Nullable String uri,
            @Nullable String authority,
            @Nullable String uriRegex,
            @Nullable String uriRegexRewrite) {}

    /** {@code retries}. */
    public record Retries(
            int attempts,
            @Nullable Duration perTryTimeout,
            @Nullable String retryOn,
            @Nullable Boolean retryRemoteLocalities,
            @Nullable Boolean retryIgnorePreviousHosts,
            @Nullable Duration backoff) {}

    /** {@code fault}: delay and/or abort, each applied to a percentage of requests. */
    public record Fault(@Nullable Delay delay, @Nullable Abort abort) {
        /** Fixed delay for {@code percentage} percent of requests. */
        public record Delay(Duration fixedDelay, double percentage) {}

        /** Abort with {@code httpStatus} for {@code percentage} percent of requests. */
        public record Abort(int httpStatus, double percentage) {}
    }

    /** {@code headers}: request and response manipulation. */
    public record Headers(HeaderOperations request, HeaderOperations response) {}

    /** {@code set}, {@code add}, {@code remove}. */
    public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {
        public static final HeaderOperations NONE = new HeaderOperations(Map.of(), Map.of(), List.of());

        public HeaderOperations {
            set = Map.copyOf(set);
            add = Map.copyOf(add);
            remove = List.copyOf(remove);
        }
    }
}
