package io.zonemesh.config.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"reviews", "reviews.prod.svc.cluster.local", "*.example.com", "*", "istio.io."})
    void acceptsIstioHostNames(String host) {
        assertThat(Names.wildcardDomain(host)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a..b", "foo.*.com", "-a.com", "a_b.com", "*a*.com"})
    void rejectsMalformedHostNames(String host) {
        assertThat(Names.wildcardDomain(host)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/(v1|v2)/.*", "^[a-z]+$", "(?i)abc", "a{2,3}"})
    void acceptsRe2Regexes(String regex) {
        assertThat(Names.regex(regex)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a", "a(?=b)", "a(?!b)", "(?<=a)b", "(a)\\1", "a*+", "(?>a)"})
    void rejectsRegexesRe2CannotCompile(String regex) {
        assertThat(Names.regex(regex)).isNotNull();
    }

    @Test
    void recognisesIpAddressesAndCidrBlocksWithoutLookingAnythingUp() {
        assertThat(Names.isIp("10.0.0.1")).isTrue();
        assertThat(Names.isIp("::1")).isTrue();
        assertThat(Names.isIp("fe80::1:2")).isTrue();
        assertThat(Names.isIp("2001:db8:0:0:0:0:2:1")).isTrue();
        assertThat(Names.isIp("::ffff:10.0.0.1")).isTrue();
        assertThat(Names.isIp("1::2::3")).isFalse();
        assertThat(Names.isIp("1:2:3")).isFalse();
        assertThat(Names.isIp(".:")).isFalse();
        assertThat(Names.isIp("12345::")).isFalse();
        assertThat(Names.isIp("256.0.0.1")).isFalse();
        assertThat(Names.isIp("localhost")).isFalse();
        assertThat(Names.isIpOrCidr("10.0.0.0/8")).isTrue();
        assertThat(Names.isIpOrCidr("10.0.0.0/33")).isFalse();
        assertThat(Names.isIpOrCidr("2001:db8::/32")).isTrue();
    }

    @Test
    void checksLabelKeysWithTheirOptionalPrefix() {
        assertThat(Names.labelKey("topology.kubernetes.io/zone")).isNull();
        assertThat(Names.labelKey("app")).isNull();
        assertThat(Names.labelKey("bad key")).isNotNull();
        assertThat(Names.labelKey("UPPER.example/x")).isNotNull();
        assertThat(Names.labelValue("")).isNull();
        assertThat(Names.labelValue("v1.2_a")).isNull();
        assertThat(Names.labelValue("-v1")).isNotNull();
    }
}
