package io.zonemesh.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.zonemesh.common.RandomSource;
import io.zonemesh.proxy.config.FaultConfig;
import io.zonemesh.proxy.config.Fraction;
import io.zonemesh.proxy.testing.EnvoyResources;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultParserTest {

    private static FaultConfig parse(Any any) {
        ValidationErrors errors = new ValidationErrors();
        FaultConfig config = FaultParser.parse(any, errors, "fault");
        assertThat(errors.messages()).isEmpty();
        return config;
    }

    @Test
    void readsDelayAndAbortWithTheirFractions() {
        FaultConfig config = parse(Any.pack(HTTPFault.newBuilder()
                .setDelay(FaultDelay.newBuilder()
                        .setFixedDelay(EnvoyResources.millis(1500))
                        .setPercentage(FractionalPercent.newBuilder()
                                .setNumerator(5)
                                .setDenominator(FractionalPercent.DenominatorType.TEN_THOUSAND)))
                .setAbort(FaultAbort.newBuilder()
                        .setHttpStatus(503)
                        .setPercentage(FractionalPercent.newBuilder()
                                .setNumerator(100_000)
                                .setDenominator(FractionalPercent.DenominatorType.MILLION)))
                .build()));

        assertThat(config.delay()).isEqualTo(new FaultConfig.Delay(Duration.ofMillis(1500), new Fraction(5, 10_000)));
        assertThat(config.abort()).isEqualTo(new FaultConfig.Abort(503, new Fraction(100_000, 1_000_000)));
    }

    @Test
    void unwrapsFilterConfigAndHonoursDisabled() {
        HTTPFault abort = HTTPFault.newBuilder()
                .setAbort(FaultAbort.newBuilder().setHttpStatus(500))
                .build();

        assertThat(parse(Any.pack(FilterConfig.newBuilder()
                                .setConfig(Any.pack(abort))
                                .build()))
                        .abort()
                        .httpStatus())
                .isEqualTo(500);
        assertThat(parse(Any.pack(FilterConfig.newBuilder()
                        .setConfig(Any.pack(abort))
                        .setDisabled(true)
                        .build())))
                .isNull();
    }

    @Test
    void unsetPercentageNeverFiresAndAFullOneAlwaysDoes() {
        Fraction none = new Fraction(0, 100);
        Fraction all = new Fraction(100, 100);
        Fraction over = new Fraction(250, 100);
        RandomSource random = RandomSource.seeded(9);

        for (int i = 0; i < 100; i++) {
            assertThat(none.roll(random)).isFalse();
            assertThat(all.roll(random)).isTrue();
            assertThat(over.roll(random)).isTrue();
        }
    }

    @Test
    void rejectsWhatItCannotInject() {
        ValidationErrors errors = new ValidationErrors();
        assertThat(FaultParser.parse(
                        Any.pack(HTTPFault.newBuilder()
                                .setDelay(FaultDelay.newBuilder()
                                        .setHeaderDelay(FaultDelay.HeaderDelay.getDefaultInstance()))
                                .setAbort(FaultAbort.newBuilder().setHttpStatus(99))
                                .setUpstreamCluster("c")
                                .build()),
                        errors,
                        "fault"))
                .isNull();

        assertThat(errors.joined())
                .contains("fault.delay")
                .contains("fault.abort.http_status: 99")
                .contains("upstream_cluster");
    }
}
