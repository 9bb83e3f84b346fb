package io.zonemesh.xds.route;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.VirtualServiceConfig.Retries;
import io.zonemesh.xds.cluster.Protos;
import java.util.ArrayList;
import java.util.List;

/**
 * VirtualService {@code retries} to the route's Envoy {@code retry_policy}, Istio's
 * {@code retry.ConvertPolicy} (LOCALITY.md §4.4).
 */
public final class RetryPolicies {
    /** Istio's default {@code retry_on}; {@code retriable-status-codes} makes the 503 below count. */
    public static final String DEFAULT_RETRY_ON =
            "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

    public static final int DEFAULT_NUM_RETRIES = 2;
    /** Istio retries 503 by default ({@code EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY} is off). */
    public static final int DEFAULT_RETRIABLE_STATUS = 503;

    public static final long HOST_SELECTION_RETRY_MAX_ATTEMPTS = 5;
    public static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";
    public static final String PREVIOUS_PRIORITIES = "envoy.retry_priorities.previous_priorities";
    /** Istio's {@code update_frequency} for previous_priorities: re-plan the priority load every 2 attempts. */
    public static final int PREVIOUS_PRIORITIES_UPDATE_FREQUENCY = 2;

    private static final String RETRIABLE_STATUS_CODES = "retriable-status-codes";

    private RetryPolicies() {}

    /**
     * The policy, or null for none.
     *
     * @param retries the rule's {@code retries}; null gives Istio's default policy
     * @param consistentHash the route hashes to one host (a single destination with a consistent-hash
     *     DestinationRule): retrying on other hosts would defeat the hash, so the previous_hosts
     *     predicate is left out, as Istio does
     */
    public static @Nullable RetryPolicy of(@Nullable Retries retries, boolean consistentHash) {
        RetryPolicy.Builder out = RetryPolicy.newBuilder()
                .setNumRetries(UInt32Value.of(DEFAULT_NUM_RETRIES))
                .setRetryOn(DEFAULT_RETRY_ON)
                .addRetriableStatusCodes(DEFAULT_RETRIABLE_STATUS)
                .setHostSelectionRetryMaxAttempts(HOST_SELECTION_RETRY_MAX_ATTEMPTS);
        boolean previousHosts = !consistentHash;
        if (retries != null) {
            if (retries.attempts() <= 0) {
                return null;
            }
            out.setNumRetries(Protos.uint32(retries.attempts()));
            if (retries.retryOn() != null && !retries.retryOn().isBlank()) {
                applyRetryOn(out, retries.retryOn());
            }
            if (retries.perTryTimeout() != null) {
                out.setPerTryTimeout(Protos.duration(retries.perTryTimeout()));
            }
            if (retries.retryIgnorePreviousHosts() != null) {
                previousHosts = retries.retryIgnorePreviousHosts();
            }
            if (Boolean.TRUE.equals(retries.retryRemoteLocalities())) {
                out.setRetryPriority(RetryPolicy.RetryPriority.newBuilder()
                        .setName(PREVIOUS_PRIORITIES)
                        .setTypedConfig(Any.pack(PreviousPrioritiesConfig.newBuilder()
                                .setUpdateFrequency(PREVIOUS_PRIORITIES_UPDATE_FREQUENCY)
                                .build())));
            }
            if (retries.backoff() != null) {
                out.setRetryBackOff(
                        RetryPolicy.RetryBackOff.newBuilder().setBaseInterval(Protos.duration(retries.backoff())));
            }
        }
        if (previousHosts) {
            out.addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                    .setName(PREVIOUS_HOSTS)
                    .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())));
        }
        return out.build();
    }

    /**
     * Istio's {@code parseRetryOn}: HTTP status codes go to {@code retriable_status_codes} (replacing
     * the default 503), the rest stay in {@code retry_on}, and {@code retriable-status-codes} is added
     * when codes were given without it.
     */
    private static void applyRetryOn(RetryPolicy.Builder out, String retryOn) {
        List<String> policies = new ArrayList<>();
        List<Integer> codes = new ArrayList<>();
        for (String part : retryOn.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            Integer code = statusCode(p);
            if (code != null) {
                codes.add(code);
            } else {
                policies.add(p);
            }
        }
        String joined = String.join(",", policies);
        if (!codes.isEmpty() && !joined.contains(RETRIABLE_STATUS_CODES)) {
            joined = joined.isEmpty() ? RETRIABLE_STATUS_CODES : joined + "," + RETRIABLE_STATUS_CODES;
        }
        out.setRetryOn(joined).clearRetriableStatusCodes().addAllRetriableStatusCodes(codes);
    }

    private static @Nullable Integer statusCode(String s) {
        if (!s.matches("\\d{3}")) {
            return null;
        }
        int code = Integer.parseInt(s);
        return code >= 100 && code <= 599 ? code : null;
    }
}
