package io.zonemesh.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.zonemesh.proxy.config.RetryOn;
import io.zonemesh.proxy.testing.EnvoyResources;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyParserTest {

    private static io.zonemesh.proxy.config.RetryPolicy parse(RetryPolicy proto) {
        ValidationErrors errors = new ValidationErrors();
        io.zonemesh.proxy.config.RetryPolicy policy = RetryPolicyParser.parse(proto, errors, "retry_policy");
        assertThat(errors.messages()).isEmpty();
        return policy;
    }

    private static String errors(RetryPolicy proto) {
        ValidationErrors errors = new ValidationErrors();
        assertThat(RetryPolicyParser.parse(proto, errors, "retry_policy")).isNull();
        return errors.joined();
    }

    @Test
    void readsIstiosPolicyWithBothPlugins() {
        io.zonemesh.proxy.config.RetryPolicy policy = parse(RetryPolicy.newBuilder()
                .setNumRetries(UInt32Value.of(2))
                .setRetryOn("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes")
                .addRetriableStatusCodes(503)
                .setHostSelectionRetryMaxAttempts(5)
                .setPerTryTimeout(EnvoyResources.millis(1500))
                .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                        .setName("envoy.retry_host_predicates.previous_hosts")
                        .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())))
                .setRetryPriority(RetryPolicy.RetryPriority.newBuilder()
                        .setName("envoy.retry_priorities.previous_priorities")
                        .setTypedConfig(Any.pack(PreviousPrioritiesConfig.newBuilder()
                                .setUpdateFrequency(2)
                                .build())))
                .build());

        assertThat(policy.numRetries()).isEqualTo(2);
        assertThat(policy.retryOn())
                .containsExactlyInAnyOrder(
                        RetryOn.CONNECT_FAILURE,
                        RetryOn.REFUSED_STREAM,
                        RetryOn.GRPC_UNAVAILABLE,
                        RetryOn.GRPC_CANCELLED,
                        RetryOn.RETRIABLE_STATUS_CODES);
        assertThat(policy.retriableStatusCodes()).containsExactly(503);
        assertThat(policy.previousHosts()).isTrue();
        assertThat(policy.hostSelectionRetries()).isEqualTo(5);
        assertThat(policy.previousPrioritiesFrequency()).isEqualTo(2);
        assertThat(policy.perTryTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void appliesEnvoyDefaults() {
        io.zonemesh.proxy.config.RetryPolicy policy =
                parse(RetryPolicy.newBuilder().setRetryOn("5xx").build());

        assertThat(policy.numRetries()).isEqualTo(1);
        assertThat(policy.baseInterval()).isEqualTo(Duration.ofMillis(25));
        assertThat(policy.maxInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.perTryTimeout()).isZero();
        assertThat(policy.previousHosts()).isFalse();
    }

    @Test
    void maxIntervalDefaultsToTenTimesTheConfiguredBase() {
        io.zonemesh.proxy.config.RetryPolicy policy = parse(RetryPolicy.newBuilder()
                .setRetryOn("5xx")
                .setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder().setBaseInterval(EnvoyResources.millis(100)))
                .build());

        assertThat(policy.maxInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void rejectsWhatItCannotHonour() {
        String errors = errors(RetryPolicy.newBuilder()
                .setRetryOn("5xx,sometimes")
                .addRetriableStatusCodes(99)
                .setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder()
                        .setBaseInterval(EnvoyResources.millis(100))
                        .setMaxInterval(EnvoyResources.millis(50)))
                .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                        .setName("envoy.retry_host_predicates.omit_canary_hosts"))
                .setRetryPriority(RetryPolicy.RetryPriority.newBuilder()
                        .setName("envoy.retry_priorities.previous_priorities")
                        .setTypedConfig(Any.pack(PreviousPrioritiesConfig.newBuilder()
                                .setUpdateFrequency(0)
                                .build())))
                .build());

        assertThat(errors)
                .contains("retry_policy.retry_on: \"sometimes\"")
                .contains("retry_policy.retriable_status_codes: 99")
                .contains("retry_policy.retry_back_off.max_interval")
                .contains("retry_policy.retry_host_predicate[0]")
                .contains("retry_policy.retry_priority.update_frequency: 0");
    }
}
