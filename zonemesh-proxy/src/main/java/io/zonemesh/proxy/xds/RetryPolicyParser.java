package io.zonemesh.proxy.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy.RetryHostPredicate;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy.RetryPriority;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.RetryOn;
import io.zonemesh.proxy.config.RetryPolicy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Parses a route's {@code retry_policy}. Unknown {@code retry_on} names are errors (Envoy rejects
 * them too), as are the plug-ins and header matchers the proxy does not implement; the
 * {@code previous_hosts} host predicate and the {@code previous_priorities} retry priority are
 * the ones Istio emits.
 */
final class RetryPolicyParser {
    static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";
    static final String PREVIOUS_HOSTS_TYPE =
            "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate";
    static final String PREVIOUS_PRIORITIES = "envoy.retry_priorities.previous_priorities";
    static final String PREVIOUS_PRIORITIES_TYPE =
            "type.googleapis.com/envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig";

    private RetryPolicyParser() {}

    // NullAway cannot see this parser's invariant: a part is null only when its parse recorded an
    // error, and the method returns null before building when the error count grew.
    @SuppressWarnings("NullAway")
    static @Nullable RetryPolicy parse(
            io.envoyproxy.envoy.config.route.v3.RetryPolicy proto, ValidationErrors errors, String path) {
        int before = errors.count();
        Set<RetryOn> retryOn = EnumSet.noneOf(RetryOn.class);
        for (String part : proto.getRetryOn().split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            RetryOn condition = RetryOn.byName(name);
            if (condition == null) {
                errors.add(path + ".retry_on", ValidationErrors.quote(name), "a retry condition Envoy knows");
            } else {
                retryOn.add(condition);
            }
        }
        Set<Integer> codes = new LinkedHashSet<>();
        for (int code : proto.getRetriableStatusCodesList()) {
            if (code < 100 || code > 599) {
                errors.add(path + ".retriable_status_codes", code, "an HTTP status 100..599");
            }
            codes.add(code);
        }
        int numRetries =
                ProtoValues.uint32(proto.hasNumRetries(), proto.getNumRetries(), RetryPolicy.DEFAULT_NUM_RETRIES);
        Duration perTry = proto.hasPerTryTimeout()
                ? ProtoValues.duration(proto.getPerTryTimeout(), errors, path + ".per_try_timeout")
                : Duration.ZERO;
        Duration base = RetryPolicy.DEFAULT_BASE_INTERVAL;
        Duration max = null;
        if (proto.hasRetryBackOff()) {
            base = ProtoValues.duration(
                    proto.getRetryBackOff().getBaseInterval(), errors, path + ".retry_back_off.base_interval");
            if (base != null && base.toMillis() <= 0) {
                errors.add(path + ".retry_back_off.base_interval", base, ">= 1ms");
            }
            if (proto.getRetryBackOff().hasMaxInterval()) {
                max = ProtoValues.duration(
                        proto.getRetryBackOff().getMaxInterval(), errors, path + ".retry_back_off.max_interval");
                if (max != null && base != null && max.compareTo(base) < 0) {
                    errors.add(path + ".retry_back_off.max_interval", max, ">= base_interval " + base);
                }
            }
        }
        boolean previousHosts = hostPredicates(proto, errors, path);
        int frequency = proto.hasRetryPriority() ? previousPriorities(proto.getRetryPriority(), errors, path) : 0;
        long selectionRetries = proto.getHostSelectionRetryMaxAttempts();
        if (selectionRetries < 0) {
            errors.add(path + ".host_selection_retry_max_attempts", selectionRetries, ">= 0");
        }
        if (proto.getRetriableHeadersCount() + proto.getRetriableRequestHeadersCount() > 0
                || proto.hasRateLimitedRetryBackOff()
                || proto.getRetryOptionsPredicatesCount() > 0) {
            errors.add(
                    path,
                    "retriable_headers/retriable_request_headers/rate_limited_retry_back_off/"
                            + "retry_options_predicates",
                    "none (not supported by zonemesh-proxy)");
        }
        if (errors.count() > before) {
            return null;
        }
        return new RetryPolicy(
                numRetries,
                retryOn,
                codes,
                perTry,
                base,
                max == null ? base.multipliedBy(10) : max,
                previousHosts,
                (int) Math.min(selectionRetries, 100),
                frequency);
    }

    private static boolean hostPredicates(
            io.envoyproxy.envoy.config.route.v3.RetryPolicy proto, ValidationErrors errors, String path) {
        boolean previousHosts = false;
        for (int i = 0; i < proto.getRetryHostPredicateCount(); i++) {
            RetryHostPredicate predicate = proto.getRetryHostPredicate(i);
            boolean byType = predicate.hasTypedConfig()
                    && predicate.getTypedConfig().getTypeUrl().equals(PREVIOUS_HOSTS_TYPE);
            if (byType || (!predicate.hasTypedConfig() && predicate.getName().equals(PREVIOUS_HOSTS))) {
                previousHosts = true;
            } else {
                errors.add(
                        path + ".retry_host_predicate[" + i + "]",
                        ValidationErrors.quote(predicate.getName()),
                        PREVIOUS_HOSTS + " (the only host predicate zonemesh-proxy implements)");
            }
        }
        return previousHosts;
    }

    private static int previousPriorities(RetryPriority priority, ValidationErrors errors, String path) {
        String field = path + ".retry_priority";
        if (!priority.hasTypedConfig()
                || !priority.getTypedConfig().getTypeUrl().equals(PREVIOUS_PRIORITIES_TYPE)) {
            errors.add(
                    field,
                    ValidationErrors.quote(priority.getName()),
                    PREVIOUS_PRIORITIES + " with a PreviousPrioritiesConfig");
            return 0;
        }
        try {
            int frequency = priority.getTypedConfig()
                    .unpack(PreviousPrioritiesConfig.class)
                    .getUpdateFrequency();
            if (frequency <= 0) {
                errors.add(field + ".update_frequency", frequency, "> 0");
            }
            return frequency;
        } catch (InvalidProtocolBufferException e) {
            errors.add(field + ".typed_config", "undecodable bytes", "a valid PreviousPrioritiesConfig");
            return 0;
        }
    }
}
