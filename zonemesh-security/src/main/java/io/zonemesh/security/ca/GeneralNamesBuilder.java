package io.zonemesh.security.ca;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/** SAN lists for issued certificates. */
final class GeneralNamesBuilder {
    private GeneralNamesBuilder() {}

    static GeneralNames uri(String uri) {
        return new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
    }

    static GeneralNames dns(List<String> dnsNames) {
        return of(dnsNames, List.of());
    }

    /**
     * DNS names then IP addresses.
     *
     * @throws IllegalArgumentException for an empty list or an address that is not an IPv4/IPv6 literal
     */
    static GeneralNames of(List<String> dnsNames, List<String> ipAddresses) {
        List<GeneralName> names = new ArrayList<>();
        for (String dns : dnsNames) {
            if (dns.isEmpty()) {
                throw new IllegalArgumentException("dnsNames: \"\" (expected: a host name)");
            }
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (String ip : ipAddresses) {
            try {
                names.add(new GeneralName(GeneralName.iPAddress, ip));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ipAddresses: " + ip + " (expected: an IPv4 or IPv6 literal)", e);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("subject alternative names: [] (expected: at least one DNS name or IP)");
        }
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }
}
