package io.zonemesh.config.analysis;

import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.istio.IstioHosts;
import java.util.List;
import java.util.Objects;

/**
 * {@code zonemesh analyze}: findings that need the whole mesh rather than one resource, above
 * all the silent no-ops of locality load balancing (LOCALITY.md "zonemesh decisions"). Each
 * finding names the file and document of the resource it is about, from its
 * {@code ResourceMeta}. Codes are {@code ZM02xx} (see {@link io.zonemesh.config.DiagnosticCode}).
 * Stateless and thread-safe.
 */
public final class Analyzer {
    private final String domainSuffix;
    private final List<Check> checks;

    /** An analyzer for meshes with the default {@code cluster.local} domain suffix. */
    public Analyzer() {
        this(IstioHosts.DEFAULT_DOMAIN_SUFFIX);
    }

    public Analyzer(String domainSuffix) {
        this.domainSuffix = Objects.requireNonNull(domainSuffix, "domainSuffix");
        this.checks = List.of(
                new LocalityFailoverCheck(),
                new EjectionCheck(),
                new ReferenceCheck(domainSuffix),
                new DistributeCheck(),
                new VisibilityCheck(),
                new ZoneAwareCheck(),
                new PendingPodCheck(),
                new PeerAuthenticationCheck(),
                new IstioMutualCheck(),
                new NetworkGatewayCheck(),
                new TelemetryProviderCheck());
    }

    /** Every finding for {@code bundle}, grouped by check. */
    public List<Diagnostic> analyze(MeshConfigBundle bundle) {
        MeshIndex mesh = new MeshIndex(bundle, domainSuffix);
        Findings findings = new Findings();
        for (Check check : checks) {
            check.run(mesh, findings);
        }
        return findings.list();
    }
}
