package io.zonemesh.config.decode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldPathTest {
    @Test
    void rendersFieldsIndexesAndOddKeysTheWayUsersWriteThem() {
        FieldPath p = FieldPath.of("spec", "trafficPolicy")
                .field("distribute")
                .index(0)
                .field("to")
                .field("sg/az01/*");

        assertThat(p).hasToString("spec.trafficPolicy.distribute[0].to[\"sg/az01/*\"]");
        assertThat(FieldPath.ROOT).hasToString("");
        assertThat(FieldPath.ROOT.index(2).field("a")).hasToString("[2].a");
    }

    @Test
    void parentAndConcatAreInverse() {
        FieldPath p = FieldPath.of("spec", "http").index(1);

        assertThat(p.parent()).isEqualTo(FieldPath.of("spec", "http"));
        assertThat(p.parent().concat(FieldPath.ROOT.index(1))).isEqualTo(p);
        assertThat(FieldPath.ROOT.parent()).isEqualTo(FieldPath.ROOT);
    }
}
