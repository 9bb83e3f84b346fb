package io.zonemesh.xds.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.zonemesh.model.istio.OutlierDetection;
import org.junit.jupiter.api.Test;

class OutlierDetectionMapperTest {
    private static final OutlierDetection FULL = new OutlierDetection(
            7, 3, 4, true, java.time.Duration.ofMinutes(5), java.time.Duration.ofMinutes(15), 50, 20);
    private static final OutlierDetection EMPTY = new OutlierDetection(null, null, null, null, null, null, null, null);

    @Test
    void mapsIstioFieldsAndAlwaysDisablesSuccessRate() {
        var od = OutlierDetectionMapper.toEnvoy(FULL, false);

        assertThat(od.getEnforcingSuccessRate().getValue()).isZero();
        assertThat(od.getConsecutive5Xx().getValue()).isEqualTo(7);
        assertThat(od.getEnforcingConsecutive5Xx().getValue()).isEqualTo(100);
        assertThat(od.getConsecutiveGatewayFailure().getValue()).isEqualTo(3);
        assertThat(od.getEnforcingConsecutiveGatewayFailure().getValue()).isEqualTo(100);
        assertThat(od.getInterval())
                .isEqualTo(Duration.newBuilder().setSeconds(300).build());
        assertThat(od.getBaseEjectionTime())
                .isEqualTo(Duration.newBuilder().setSeconds(900).build());
        assertThat(od.getMaxEjectionPercent().getValue()).isEqualTo(50);
        assertThat(od.getSplitExternalLocalOriginErrors()).isTrue();
        assertThat(od.getConsecutiveLocalOriginFailure().getValue()).isEqualTo(4);
        assertThat(od.getEnforcingConsecutiveLocalOriginFailure().getValue()).isEqualTo(100);
        assertThat(od.hasEnforcingLocalOriginSuccessRate()).isTrue();
        assertThat(od.getEnforcingLocalOriginSuccessRate().getValue()).isZero();
        assertThat(od.hasAlwaysEjectOneHost()).isFalse();
        assertThat(od.hasEnforcingFailurePercentage()).isFalse();
    }

    @Test
    void leavesUnsetFieldsToEnvoyAndEjectsOneHostWithoutMaxEjectionPercent() {
        var od = OutlierDetectionMapper.toEnvoy(EMPTY, false);

        assertThat(od.hasEnforcingSuccessRate()).isTrue();
        assertThat(od.hasConsecutive5Xx()).isFalse();
        assertThat(od.hasEnforcingConsecutive5Xx()).isFalse();
        assertThat(od.hasConsecutiveGatewayFailure()).isFalse();
        assertThat(od.hasInterval()).isFalse();
        assertThat(od.hasBaseEjectionTime()).isFalse();
        assertThat(od.hasMaxEjectionPercent()).isFalse();
        assertThat(od.getAlwaysEjectOneHost().getValue()).isTrue();
        assertThat(od.getSplitExternalLocalOriginErrors()).isFalse();
    }

    @Test
    void zeroCountsDisableEnforcementAndZeroMaxEjectionIsNotCopied() {
        var od = OutlierDetectionMapper.toEnvoy(new OutlierDetection(0, 0, null, null, null, null, 0, null), false);

        assertThat(od.getConsecutive5Xx().getValue()).isZero();
        assertThat(od.hasEnforcingConsecutive5Xx()).isTrue();
        assertThat(od.getEnforcingConsecutive5Xx().getValue()).isZero();
        assertThat(od.getEnforcingConsecutiveGatewayFailure().getValue()).isZero();
        assertThat(od.hasMaxEjectionPercent()).isFalse();
        assertThat(od.getAlwaysEjectOneHost().getValue()).isTrue();
    }

    @Test
    void addsFailurePercentageEjectionForGrpcClients() {
        var od = OutlierDetectionMapper.toEnvoy(FULL, true);

        assertThat(od.getEnforcingFailurePercentage().getValue()).isEqualTo(100);
        assertThat(od.getFailurePercentageThreshold().getValue()).isEqualTo(50);
        assertThat(od.getFailurePercentageMinimumHosts().getValue()).isEqualTo(1);
        assertThat(od.getFailurePercentageRequestVolume().getValue()).isEqualTo(7);
        assertThat(OutlierDetectionMapper.toEnvoy(EMPTY, true)
                        .getFailurePercentageRequestVolume()
                        .getValue())
                .isEqualTo(5);
    }

    @Test
    void grpcFailurePercentageIsOffWhenUserTurnedConsecutiveErrorsOff() {
        var od =
                OutlierDetectionMapper.toEnvoy(new OutlierDetection(0, null, null, null, null, null, null, null), true);

        assertThat(od.getEnforcingFailurePercentage().getValue()).isZero();
        assertThat(od.hasFailurePercentageRequestVolume()).isFalse();
    }
}
