package io.zonemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.lb.Host;
import io.zonemesh.proxy.config.RetryOn;
import io.zonemesh.proxy.config.RetryPolicy;
import io.zonemesh.proxy.snapshot.ResourceLimit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One request's retry bookkeeping, Envoy's {@code RetryStateImpl}: whether an attempt's outcome
 * is retried ({@code wouldRetryFromHeaders}, {@code wouldRetryFromReset}), the retry budget of
 * the policy, the cluster's {@code max_retries} circuit breaker, the jittered back-off, and the
 * hosts and priorities already tried for the retry plug-ins. Confined to the request's event loop.
 */
final class RetryState {
    /** What to do after an attempt ended. */
    enum Decision {
        RETRY,
        /** The outcome is not retriable under the policy. */
        NO_RETRY,
        /** Retriable, but {@code num_retries} is used up: response flag URX. */
        LIMIT_EXCEEDED,
        /** Retriable, but the cluster's {@code max_retries} circuit breaker is full: flag UO. */
        OVERFLOW
    }

    // Cached names: their hash is computed once, not per response.
    private static final AsciiString ENVOY_OVERLOADED = AsciiString.cached("x-envoy-overloaded");
    private static final AsciiString ENVOY_RATELIMITED = AsciiString.cached("x-envoy-ratelimited");
    private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");

    private final RetryPolicy policy;
    private final ResourceLimit retryLimit;
    private final Runnable onOverflow;
    private final RetryBackoff backoff;
    /** Usually one host: the sets below are only made once a retry needs them. */
    private final List<Host> attempted = new ArrayList<>(2);

    private @Nullable Set<Integer> excludedPriorities;
    private int retriesRemaining;
    private boolean holdingRetry;

    RetryState(RetryPolicy policy, ResourceLimit retryLimit, Runnable onOverflow, RandomSource random) {
        this.policy = policy;
        this.retryLimit = retryLimit;
        this.onOverflow = onOverflow;
        this.backoff = new RetryBackoff(policy.baseInterval(), policy.maxInterval(), random);
        this.retriesRemaining = policy.numRetries();
    }

    /** Records the host an attempt goes to, for previous_hosts and previous_priorities. */
    void onHostAttempted(Host host) {
        attempted.add(host);
        int frequency = policy.previousPrioritiesFrequency();
        // PreviousPrioritiesRetryPriority::determinePriorityLoad: the excluded set is recomputed
        // from every attempted host each time their count reaches a multiple of update_frequency.
        if (frequency > 0 && attempted.size() % frequency == 0) {
            if (excludedPriorities == null) {
                excludedPriorities = new HashSet<>();
            }
            for (Host tried : attempted) {
                excludedPriorities.add(tried.spec().priority());
            }
        }
    }

    /** Hosts the next pick should avoid: the ones tried, with the previous_hosts predicate. */
    Set<Host> excludedHosts() {
        if (!policy.previousHosts() || attempted.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(attempted);
    }

    Set<Integer> excludedPriorities() {
        return excludedPriorities == null ? Set.of() : Set.copyOf(excludedPriorities);
    }

    int hostSelectionRetries() {
        return policy.previousHosts() ? policy.hostSelectionRetries() : 0;
    }

    /** Attempts made so far. */
    int attempts() {
        return attempted.size();
    }

    Decision onResponse(int status, HttpHeaders headers) {
        return decide(retriableResponse(status, headers));
    }

    Decision onFailure(AttemptFailure failure) {
        return decide(retriableFailure(failure));
    }

    /** The back-off before the retry just decided, in milliseconds. */
    long backoffMillis() {
        return backoff.nextMillis();
    }

    /** Gives back the {@code max_retries} slot a retry in flight holds; call when the request ends. */
    void close() {
        releaseRetry();
    }

    private boolean retriableResponse(int status, HttpHeaders headers) {
        if ("true".equals(headers.get(ENVOY_OVERLOADED))) {
            return false;
        }
        if (policy.retriesOnAny(RetryOn.ENVOY_RATELIMITED) && headers.contains(ENVOY_RATELIMITED)) {
            return true;
        }
        if (policy.retriesOnAny(RetryOn.FIVE_XX) && status >= 500 && status < 600) {
            return true;
        }
        if (policy.retriesOnAny(RetryOn.GATEWAY_ERROR) && status >= 502 && status <= 504) {
            return true;
        }
        if (policy.retriesOnAny(RetryOn.RETRIABLE_4XX) && status == 409) {
            return true;
        }
        if (policy.retriesOnAny(RetryOn.RETRIABLE_STATUS_CODES)
                && policy.retriableStatusCodes().contains(status)) {
            return true;
        }
        String grpcStatus = headers.get(GRPC_STATUS);
        if (grpcStatus != null) {
            for (RetryOn condition : policy.retryOn()) {
                if (condition.grpcStatus() >= 0 && grpcStatus.trim().equals(Integer.toString(condition.grpcStatus()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean retriableFailure(AttemptFailure failure) {
        if (failure == AttemptFailure.CONNECT_FAILURE && policy.retriesOnAny(RetryOn.CONNECT_FAILURE)) {
            return true;
        }
        if (!failure.requestSent && policy.retriesOnAny(RetryOn.RESET_BEFORE_REQUEST)) {
            return true;
        }
        // Envoy counts every reset, and a per-try timeout, as a "5xx" for these three.
        return policy.retriesOnAny(RetryOn.FIVE_XX, RetryOn.GATEWAY_ERROR, RetryOn.RESET);
    }

    /** {@code RetryStateImpl::shouldRetry}: the order of the checks decides URX versus UO. */
    private Decision decide(boolean retriable) {
        releaseRetry();
        if (!retriable) {
            return Decision.NO_RETRY;
        }
        if (retriesRemaining == 0) {
            return Decision.LIMIT_EXCEEDED;
        }
        retriesRemaining--;
        if (!retryLimit.tryAcquire()) {
            onOverflow.run();
            return Decision.OVERFLOW;
        }
        holdingRetry = true;
        return Decision.RETRY;
    }

    private void releaseRetry() {
        if (holdingRetry) {
            holdingRetry = false;
            retryLimit.release();
        }
    }
}
