package io.zonemesh.xds.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.zonemesh.model.istio.VirtualServiceConfig.Fault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultsTest {

    @Test
    void abortBecomesHttpStatusWithPartsPerMillion() {
        HTTPFault f = Faults.of(new Fault(null, new Fault.Abort(400, 10)));

        assertThat(f.hasDelay()).isFalse();
        assertThat(f.getAbort().getHttpStatus()).isEqualTo(400);
        assertThat(f.getAbort().getPercentage().getNumerator()).isEqualTo(100_000);
        assertThat(f.getAbort().getPercentage().getDenominator()).isEqualTo(FractionalPercent.DenominatorType.MILLION);
    }

    @Test
    void delayBecomesFixedDelayWithPercentage() {
        HTTPFault f = Faults.of(new Fault(new Fault.Delay(Duration.ofMillis(1500), 0.1), null));

        assertThat(f.getDelay().getFixedDelay().getSeconds()).isEqualTo(1);
        assertThat(f.getDelay().getFixedDelay().getNanos()).isEqualTo(500_000_000);
        assertThat(f.getDelay().getPercentage().getNumerator()).isEqualTo(1000);
        assertThat(f.hasAbort()).isFalse();
    }

    @Test
    void noFaultGivesNoConfig() {
        assertThat(Faults.of(null)).isNull();
        assertThat(Faults.of(new Fault(null, null))).isNull();
    }

    @Test
    void percentagesConvertAsIstioDoes() {
        assertThat(Percentages.million(100).getNumerator()).isEqualTo(1_000_000);
        assertThat(Percentages.million(0.0001).getNumerator()).isEqualTo(1);
        assertThat(Percentages.hundred(100).getDenominator()).isEqualTo(FractionalPercent.DenominatorType.HUNDRED);
        assertThatThrownBy(() -> Percentages.million(100.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("percent: 100.5 (expected: 0-100)");
    }
}
