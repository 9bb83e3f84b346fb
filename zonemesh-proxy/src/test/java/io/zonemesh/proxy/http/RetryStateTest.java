package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonemesh.common.RandomSource;
import io.zonemesh.lb.Host;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.config.RetryOn;
import io.zonemesh.proxy.config.RetryPolicy;
import io.zonemesh.proxy.http.RetryState.Decision;
import io.zonemesh.proxy.snapshot.ResourceLimit;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryStateTest {
    private static final HttpHeaders NONE = new DefaultHttpHeaders();

    private static RetryPolicy policy(
            int retries, Set<RetryOn> on, Set<Integer> codes, boolean previousHosts, int frequency) {
        return new RetryPolicy(
                retries,
                on,
                codes,
                Duration.ZERO,
                Duration.ofMillis(25),
                Duration.ofMillis(250),
                previousHosts,
                5,
                frequency);
    }

    private static RetryState state(RetryPolicy policy, ResourceLimit limit) {
        return new RetryState(policy, limit, () -> {}, RandomSource.seeded(1));
    }

    private static Host host(String address, int priority) {
        HostSpec spec = new HostSpec(address, 80, "r/z/", priority, 1, 1, true, "");
        return new Host() {
            @Override
            public HostSpec spec() {
                return spec;
            }

            @Override
            public boolean ejected() {
                return false;
            }

            @Override
            public int activeRequests() {
                return 0;
            }

            @Override
            public void onRequestStart() {}

            @Override
            public void onRequestEnd() {}
        };
    }

    @Test
    void eachConditionRetriesItsOwnStatuses() {
        ResourceLimit unlimited = new ResourceLimit(() -> Long.MAX_VALUE);
        assertThat(state(policy(1, Set.of(RetryOn.FIVE_XX), Set.of(), false, 0), unlimited)
                        .onResponse(501, NONE))
                .isEqualTo(Decision.RETRY);
        assertThat(state(policy(1, Set.of(RetryOn.GATEWAY_ERROR), Set.of(), false, 0), unlimited)
                        .onResponse(500, NONE))
                .isEqualTo(Decision.NO_RETRY);
        assertThat(state(policy(1, Set.of(RetryOn.GATEWAY_ERROR), Set.of(), false, 0), unlimited)
                        .onResponse(504, NONE))
                .isEqualTo(Decision.RETRY);
        assertThat(state(policy(1, Set.of(RetryOn.RETRIABLE_4XX), Set.of(), false, 0), unlimited)
                        .onResponse(409, NONE))
                .isEqualTo(Decision.RETRY);
        assertThat(state(policy(1, Set.of(RetryOn.RETRIABLE_STATUS_CODES), Set.of(418), false, 0), unlimited)
                        .onResponse(418, NONE))
                .isEqualTo(Decision.RETRY);
        assertThat(state(policy(1, Set.of(RetryOn.RETRIABLE_STATUS_CODES), Set.of(418), false, 0), unlimited)
                        .onResponse(503, NONE))
                .isEqualTo(Decision.NO_RETRY);
        assertThat(state(policy(1, Set.of(RetryOn.GRPC_UNAVAILABLE), Set.of(), false, 0), unlimited)
                        .onResponse(200, new DefaultHttpHeaders().add("grpc-status", "14")))
                .isEqualTo(Decision.RETRY);
        assertThat(state(policy(1, Set.of(RetryOn.FIVE_XX), Set.of(), false, 0), unlimited)
                        .onResponse(503, new DefaultHttpHeaders().add("x-envoy-overloaded", "true")))
                .isEqualTo(Decision.NO_RETRY);
    }

    @Test
    void connectFailureIsRetriedByConnectFailureButOtherResetsAreNot() {
        ResourceLimit unlimited = new ResourceLimit(() -> Long.MAX_VALUE);
        RetryPolicy connectOnly = policy(3, Set.of(RetryOn.CONNECT_FAILURE), Set.of(), false, 0);

        assertThat(state(connectOnly, unlimited).onFailure(AttemptFailure.CONNECT_FAILURE))
                .isEqualTo(Decision.RETRY);
        assertThat(state(connectOnly, unlimited).onFailure(AttemptFailure.CONNECTION_TERMINATION))
                .isEqualTo(Decision.NO_RETRY);
        assertThat(state(connectOnly, unlimited).onFailure(AttemptFailure.PER_TRY_TIMEOUT))
                .isEqualTo(Decision.NO_RETRY);
        assertThat(state(policy(3, Set.of(RetryOn.RESET_BEFORE_REQUEST), Set.of(), false, 0), unlimited)
                        .onFailure(AttemptFailure.CONNECT_FAILURE))
                .isEqualTo(Decision.RETRY);
        assertThat(state(policy(3, Set.of(RetryOn.GATEWAY_ERROR), Set.of(), false, 0), unlimited)
                        .onFailure(AttemptFailure.PER_TRY_TIMEOUT))
                .isEqualTo(Decision.RETRY);
    }

    @Test
    void limitExceededComesBeforeTheBreakerAndTheBreakerSlotIsHeldUntilTheNextDecision() {
        ResourceLimit oneRetry = new ResourceLimit(() -> 1);
        RetryState first = state(policy(1, Set.of(RetryOn.FIVE_XX), Set.of(), false, 0), oneRetry);
        RetryState second = state(policy(1, Set.of(RetryOn.FIVE_XX), Set.of(), false, 0), oneRetry);

        assertThat(first.onResponse(503, NONE)).isEqualTo(Decision.RETRY);
        assertThat(oneRetry.count()).isEqualTo(1);
        assertThat(second.onResponse(503, NONE)).isEqualTo(Decision.OVERFLOW);
        assertThat(first.onResponse(503, NONE)).isEqualTo(Decision.LIMIT_EXCEEDED);
        assertThat(oneRetry.count()).isZero();
        first.close();
        assertThat(oneRetry.count()).isZero();
    }

    @Test
    void closeGivesBackTheSlotOfARetryInFlight() {
        ResourceLimit limit = new ResourceLimit(() -> 3);
        RetryState state = state(policy(2, Set.of(RetryOn.FIVE_XX), Set.of(), false, 0), limit);

        state.onResponse(503, NONE);
        state.close();

        assertThat(limit.count()).isZero();
    }

    @Test
    void previousHostsExcludesEveryHostTriedAndPreviousPrioritiesUpdatesEveryFrequencyAttempts() {
        RetryState state = state(policy(3, Set.of(RetryOn.FIVE_XX), Set.of(), true, 2), new ResourceLimit(() -> 10));
        Host p0 = host("a", 0);
        Host p1 = host("b", 1);

        state.onHostAttempted(p0);
        assertThat(state.excludedHosts()).containsExactly(p0);
        assertThat(state.excludedPriorities()).isEmpty();
        state.onHostAttempted(p0);
        assertThat(state.excludedPriorities()).containsExactly(0);
        state.onHostAttempted(p1);
        assertThat(state.excludedPriorities()).containsExactly(0);
        state.onHostAttempted(p1);
        assertThat(state.excludedPriorities()).containsExactlyInAnyOrder(0, 1);
        assertThat(state.attempts()).isEqualTo(4);
        assertThat(state.hostSelectionRetries()).isEqualTo(5);
    }

    @Test
    void withoutPreviousHostsNothingIsExcluded() {
        RetryState state = state(policy(1, Set.of(RetryOn.FIVE_XX), Set.of(), false, 0), new ResourceLimit(() -> 1));

        state.onHostAttempted(host("a", 0));

        assertThat(state.excludedHosts()).isEmpty();
        assertThat(state.hostSelectionRetries()).isZero();
    }
}
