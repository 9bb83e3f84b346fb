package io.zonemesh.config.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({
        "1s, 1000",
        "100ms, 100",
        "0.5s, 500",
        "1m, 60000",
        "1h, 3600000",
        "1h30m, 5400000",
        "1.5s, 1500",
        "2500us, 2",
        "0, 0",
        "0s, 0",
        "+3s, 3000",
        ".5s, 500"
    })
    void parsesIstioAndProtobufDurations(String text, long millis) {
        assertThat(Durations.parse(text).toMillis()).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "10 seconds", "1d", "s", "1..5s", "1s2", "-", "ms"})
    void rejectsAnythingElseSayingWhatWasExpected(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(expected: a duration such as 100ms, 1s, 0.5s, 1m or 1h)");
    }

    @Test
    void keepsSignAndSubMillisecondPrecisionForTheCallerToJudge() {
        assertThat(Durations.parse("-1s")).isEqualTo(Duration.ofSeconds(-1));
        assertThat(Durations.parse("1ns")).isEqualTo(Duration.ofNanos(1));
    }
}
