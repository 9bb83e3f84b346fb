package io.zonemesh.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.FakeClock;
import io.zonemesh.security.ca.CertificateAuthority;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The TLS port's certificate on virtual time: renewed at half of its lifetime, and on a new CA. */
class ServingCertificateTest {
    private final FakeClock clock = new FakeClock();
    private final SecureRandom random = new SecureRandom();

    @Test
    void isRenewedAtHalfOfItsLifetime() {
        CaHolder ca = new CaHolder(CertificateAuthority.selfSigned("t", clock, random));
        try (ServingCertificate serving = new ServingCertificate(ca, clock, clock, random, Duration.ofHours(2))) {
            BigInteger first = serving.current().leaf().getSerialNumber();

            clock.advance(Duration.ofMinutes(59));
            assertThat(serving.current().leaf().getSerialNumber()).isEqualTo(first);

            clock.advance(Duration.ofMinutes(2));
            BigInteger second = serving.current().leaf().getSerialNumber();
            assertThat(second).isNotEqualTo(first);

            clock.advance(Duration.ofMinutes(58));
            assertThat(serving.current().leaf().getSerialNumber()).isEqualTo(second);
            clock.advance(Duration.ofMinutes(2));
            assertThat(serving.current().leaf().getSerialNumber()).isNotIn(first, second);
        }
    }

    @Test
    void isReissuedAtOnceByANewCaAndStopsRenewingWhenClosed() {
        CaHolder ca = new CaHolder(CertificateAuthority.selfSigned("old", clock, random));
        ServingCertificate serving = new ServingCertificate(ca, clock, clock, random, Duration.ofHours(2));
        CertificateAuthority next = CertificateAuthority.selfSigned("new", clock, random);

        ca.replace(next);

        assertThat(serving.current().leaf().getIssuerX500Principal())
                .isEqualTo(next.signingCertificate().getSubjectX500Principal());
        assertThat(clock.pendingTasks())
                .as("one renewal armed, the old one cancelled")
                .hasSize(1);
        serving.close();
        BigInteger last = serving.current().leaf().getSerialNumber();
        clock.advance(Duration.ofHours(3));
        ca.replace(CertificateAuthority.selfSigned("newer", clock, random));
        assertThat(serving.current().leaf().getSerialNumber()).isEqualTo(last);
    }
}
