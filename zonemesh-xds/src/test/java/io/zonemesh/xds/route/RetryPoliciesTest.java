package io.zonemesh.xds.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.zonemesh.model.istio.VirtualServiceConfig.Retries;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPoliciesTest {

    private static Retries retries(int attempts, String retryOn) {
        return new Retries(attempts, null, retryOn, null, null, null);
    }

    @Test
    void unsetRetriesGiveIstiosDefaultPolicy() {
        RetryPolicy p = RetryPolicies.of(null, false);

        assertThat(p.getNumRetries().getValue()).isEqualTo(2);
        assertThat(p.getRetryOn())
                .isEqualTo("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes");
        assertThat(p.getRetriableStatusCodesList()).containsExactly(503);
        assertThat(p.getHostSelectionRetryMaxAttempts()).isEqualTo(5);
        assertThat(p.getRetryHostPredicateList())
                .extracting(RetryPolicy.RetryHostPredicate::getName)
                .containsExactly("envoy.retry_host_predicates.previous_hosts");
        assertThat(p.hasPerTryTimeout()).isFalse();
        assertThat(p.hasRetryPriority()).isFalse();
    }

    @Test
    void zeroAttemptsTurnRetriesOff() {
        assertThat(RetryPolicies.of(retries(0, "5xx"), false)).isNull();
    }

    @Test
    void statusCodesInRetryOnBecomeRetriableStatusCodes() {
        RetryPolicy p = RetryPolicies.of(retries(3, "5xx, 502,gateway-error,503"), false);

        assertThat(p.getNumRetries().getValue()).isEqualTo(3);
        assertThat(p.getRetryOn()).isEqualTo("5xx,gateway-error,retriable-status-codes");
        assertThat(p.getRetriableStatusCodesList()).containsExactly(502, 503);
    }

    @Test
    void retryOnWithoutStatusCodesDropsTheDefault503() {
        RetryPolicy p = RetryPolicies.of(retries(1, "connect-failure"), false);

        assertThat(p.getRetryOn()).isEqualTo("connect-failure");
        assertThat(p.getRetriableStatusCodesList()).isEmpty();
        RetryPolicy explicit = RetryPolicies.of(retries(1, "retriable-status-codes,429"), false);
        assertThat(explicit.getRetryOn()).isEqualTo("retriable-status-codes");
        assertThat(explicit.getRetriableStatusCodesList()).containsExactly(429);
    }

    @Test
    void attemptsAloneKeepTheDefaultConditions() {
        RetryPolicy p = RetryPolicies.of(new Retries(3, Duration.ofSeconds(2), null, null, null, null), false);

        assertThat(p.getNumRetries().getValue()).isEqualTo(3);
        assertThat(p.getRetryOn()).isEqualTo(RetryPolicies.DEFAULT_RETRY_ON);
        assertThat(p.getRetriableStatusCodesList()).containsExactly(503);
        assertThat(p.getPerTryTimeout().getSeconds()).isEqualTo(2);
    }

    @Test
    void retryRemoteLocalitiesAddsPreviousPrioritiesEveryTwoAttempts() throws Exception {
        RetryPolicy p = RetryPolicies.of(new Retries(2, null, null, true, null, Duration.ofMillis(50)), false);

        assertThat(p.getRetryPriority().getName()).isEqualTo("envoy.retry_priorities.previous_priorities");
        assertThat(p.getRetryPriority()
                        .getTypedConfig()
                        .unpack(PreviousPrioritiesConfig.class)
                        .getUpdateFrequency())
                .isEqualTo(2);
        assertThat(p.getRetryBackOff().getBaseInterval().getNanos()).isEqualTo(50_000_000);
    }

    @Test
    void previousHostsIsDroppedForConsistentHashOrWhenTheUserSaysSo() {
        assertThat(RetryPolicies.of(null, true).getRetryHostPredicateCount()).isZero();
        assertThat(RetryPolicies.of(new Retries(2, null, null, null, false, null), false)
                        .getRetryHostPredicateCount())
                .isZero();
        assertThat(RetryPolicies.of(new Retries(2, null, null, null, true, null), true)
                        .getRetryHostPredicateCount())
                .isEqualTo(1);
    }
}
