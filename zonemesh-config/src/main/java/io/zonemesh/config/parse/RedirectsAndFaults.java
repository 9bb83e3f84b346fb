package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjection;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionAbort;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionAbortGrpcStatus;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionAbortHttp2Error;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionAbortHttpStatus;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionDelay;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionDelayExponentialDelay;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionDelayFixedDelay;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRedirect;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRedirectDerivePort;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRedirectPort;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRetry;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRewrite;
import io.fabric8.istio.api.api.networking.v1alpha3.Percent;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.config.parse.ParseContext.DurationRule;
import io.zonemesh.model.istio.VirtualServiceConfig.Fault;
import io.zonemesh.model.istio.VirtualServiceConfig.Redirect;
import io.zonemesh.model.istio.VirtualServiceConfig.Retries;
import io.zonemesh.model.istio.VirtualServiceConfig.Rewrite;
import java.time.Duration;
import java.util.Set;

/** The per-route actions of an {@code http[]} rule: redirect, rewrite, retries and fault injection. */
final class RedirectsAndFaults {
    /** Envoy's retry_on policies that Istio's {@code validateHTTPRetry} accepts, besides status codes. */
    static final Set<String> RETRY_ON = Set.of(
            "5xx",
            "gateway-error",
            "reset",
            "reset-before-request",
            "connect-failure",
            "envoy-ratelimited",
            "retriable-4xx",
            "refused-stream",
            "retriable-status-codes",
            "retriable-headers",
            "http3-post-connect-failure",
            "cancelled",
            "deadline-exceeded",
            "internal",
            "resource-exhausted",
            "unavailable");

    private RedirectsAndFaults() {}

    static @Nullable Redirect redirect(HTTPRedirect in, FieldPath path, ParseContext ctx) {
        Integer port = null;
        if (in.getRedirectPort() instanceof HTTPRedirectPort p) {
            port = ctx.port(path.field("port"), p.getPort());
        } else if (in.getRedirectPort() instanceof HTTPRedirectDerivePort) {
            ctx.unsupported(path.field("derivePort"), "derived redirect ports");
        }
        if (empty(in.getUri()) && empty(in.getAuthority()) && empty(in.getScheme()) && in.getRedirectPort() == null) {
            ctx.missing(path, "at least one of uri, authority, scheme or port");
        }
        int code = 301;
        if (in.getRedirectCode() != null) {
            Integer c = ctx.range(path.field("redirectCode"), in.getRedirectCode(), 300, 399);
            code = c == null ? 301 : c;
        }
        return new Redirect(in.getUri(), in.getAuthority(), port, in.getScheme(), code);
    }

    static Rewrite rewrite(HTTPRewrite in, FieldPath path, ParseContext ctx) {
        String regex = null;
        String substitution = null;
        if (in.getUriRegexRewrite() != null) {
            FieldPath rp = path.field("uriRegexRewrite");
            regex = in.getUriRegexRewrite().getMatch();
            substitution = in.getUriRegexRewrite().getRewrite();
            if (ctx.require(rp.field("match"), regex, "a regular expression")) {
                String problem = Names.regex(regex);
                if (problem != null) {
                    ctx.invalid(rp.field("match"), problem);
                }
            }
            if (substitution == null) {
                ctx.missing(rp.field("rewrite"), "the substitution, e.g. /\\1");
            }
            if (!empty(in.getUri())) {
                ctx.invalid(rp, "set together with uri (expected: either uri or uriRegexRewrite)");
            }
        }
        if (empty(in.getUri()) && empty(in.getAuthority()) && in.getUriRegexRewrite() == null) {
            ctx.missing(path, "at least one of uri, authority or uriRegexRewrite");
        }
        return new Rewrite(in.getUri(), in.getAuthority(), regex, substitution);
    }

    static Retries retries(HTTPRetry in, FieldPath path, ParseContext ctx) {
        Integer attempts = ctx.atLeast(path.field("attempts"), in.getAttempts(), 0);
        String retryOn = in.getRetryOn();
        if (retryOn != null) {
            for (String policy : retryOn.split(",", -1)) {
                String p = policy.trim();
                boolean status = p.matches("\\d{3}") && Integer.parseInt(p) >= 100 && Integer.parseInt(p) <= 599;
                if (!status && !RETRY_ON.contains(p)) {
                    ctx.invalid(
                            path.field("retryOn"),
                            '"' + p + "\" (expected: HTTP status codes or Envoy retry "
                                    + "policies such as 5xx, connect-failure, refused-stream, gateway-error)");
                }
            }
        }
        return new Retries(
                attempts == null ? 0 : attempts,
                ctx.duration(path.field("perTryTimeout"), in.getPerTryTimeout(), DurationRule.AT_LEAST_1MS),
                retryOn,
                in.getRetryRemoteLocalities(),
                in.getRetryIgnorePreviousHosts(),
                ctx.duration(path.field("backoff"), in.getBackoff(), DurationRule.AT_LEAST_1MS));
    }

    static @Nullable Fault fault(HTTPFaultInjection in, FieldPath path, ParseContext ctx) {
        if (in.getDelay() == null && in.getAbort() == null) {
            ctx.missing(path, "delay and/or abort");
            return null;
        }
        return new Fault(
                in.getDelay() == null ? null : delay(in.getDelay(), path.field("delay"), ctx),
                in.getAbort() == null ? null : abort(in.getAbort(), path.field("abort"), ctx));
    }

    private static Fault.@Nullable Delay delay(HTTPFaultInjectionDelay in, FieldPath path, ParseContext ctx) {
        Duration fixed = null;
        if (in.getHttpDelayType() instanceof HTTPFaultInjectionDelayFixedDelay f) {
            fixed = ctx.duration(path.field("fixedDelay"), f.getFixedDelay(), DurationRule.AT_LEAST_1MS);
        } else if (in.getHttpDelayType() instanceof HTTPFaultInjectionDelayExponentialDelay) {
            ctx.unsupported(path.field("exponentialDelay"), "exponential delays");
        } else {
            ctx.missing(path.field("fixedDelay"), "how long to delay, e.g. 5s");
        }
        double percentage = percentage(in.getPercentage(), in.getPercent(), path, ctx);
        return fixed == null ? null : new Fault.Delay(fixed, percentage);
    }

    private static Fault.@Nullable Abort abort(HTTPFaultInjectionAbort in, FieldPath path, ParseContext ctx) {
        Integer status = null;
        if (in.getErrorType() instanceof HTTPFaultInjectionAbortHttpStatus h) {
            status = ctx.range(path.field("httpStatus"), h.getHttpStatus(), 200, 599);
        } else if (in.getErrorType() instanceof HTTPFaultInjectionAbortGrpcStatus) {
            ctx.unsupported(path.field("grpcStatus"), "gRPC status aborts");
        } else if (in.getErrorType() instanceof HTTPFaultInjectionAbortHttp2Error) {
            ctx.unsupported(path.field("http2Error"), "HTTP/2 error aborts");
        } else {
            ctx.missing(path.field("httpStatus"), "the HTTP status to answer with, 200..599");
        }
        double percentage = percentage(in.getPercentage(), null, path, ctx);
        return status == null ? null : new Fault.Abort(status, percentage);
    }

    /**
     * {@code percentage.value}, else the deprecated integer {@code percent}. Unset means 0: Istio
     * translates a missing percentage to 0% (translateFault), so the fault never fires.
     */
    private static double percentage(
            @Nullable Percent percentage, @Nullable Integer legacy, FieldPath path, ParseContext ctx) {
        if (percentage != null) {
            Double v = ctx.percentage(path.field("percentage").field("value"), percentage.getValue());
            return v == null ? 0 : v;
        }
        if (legacy != null) {
            ctx.warn(path.field("percent"), "deprecated (expected: percentage.value)");
            Integer v = ctx.percent(path.field("percent"), legacy);
            return v == null ? 0 : v;
        }
        ctx.warn(
                path.field("percentage"),
                "unset, so the fault applies to no request (expected: percentage.value, " + "e.g. 100)");
        return 0;
    }

    private static boolean empty(@Nullable String s) {
        return s == null || s.isEmpty();
    }
}
