package io.zonemesh.config;

import io.zonemesh.config.k8s.IgnoredResource;
import io.zonemesh.config.k8s.IstioOperatorConfig;
import io.zonemesh.config.k8s.K8sDeployment;
import io.zonemesh.config.k8s.K8sNamespace;
import io.zonemesh.config.k8s.K8sNode;
import io.zonemesh.config.k8s.K8sPod;
import io.zonemesh.config.k8s.K8sSecret;
import io.zonemesh.config.k8s.K8sService;
import io.zonemesh.config.k8s.K8sServiceAccount;
import io.zonemesh.config.k8s.MeshConfigMap;
import io.zonemesh.config.parse.ParsedDocument;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.GatewayConfig;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.model.istio.MeshAccessLog;
import io.zonemesh.model.istio.PeerAuthenticationConfig;
import io.zonemesh.model.istio.ResourceMeta;
import io.zonemesh.model.istio.ServiceEntryConfig;
import io.zonemesh.model.istio.SidecarConfig;
import io.zonemesh.model.istio.TelemetryConfig;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.model.istio.WorkloadEntryConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects parsed documents into one bundle: a second resource with the same kind, namespace
 * and name within a layer is an error; a later layer replaces an earlier layer's resource (how
 * the examples' {@code .alt} files are swapped in). Not thread-safe; one per load.
 */
final class BundleAssembler {
    private final Map<String, Object> resources = new LinkedHashMap<>();
    private Map<String, ResourceMeta> layer = new HashMap<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    /** Starts a new layer whose resources replace earlier layers' ones of the same identity. */
    void nextLayer() {
        layer = new HashMap<>();
    }

    void add(ParsedDocument doc) {
        diagnostics.addAll(doc.diagnostics());
        ResourceMeta meta = doc.meta();
        if (meta == null) {
            return;
        }
        String key = meta.kind() + "/" + meta.namespace() + "/" + meta.name();
        ResourceMeta first = layer.putIfAbsent(key, meta);
        if (first != null) {
            diagnostics.add(DiagnosticCode.DUPLICATE_RESOURCE.diagnostic(
                    meta.source(),
                    meta.document(),
                    meta.ref(),
                    "metadata.name",
                    "\"" + meta.name() + "\" is already defined in " + first.source() + " (document " + first.document()
                            + ") (expected: one " + meta.kind() + " per namespace and name)"));
            return;
        }
        if (doc.resource() == null) {
            resources.remove(key);
        } else {
            resources.put(key, doc.resource());
        }
    }

    void addDiagnostic(Diagnostic d) {
        diagnostics.add(d);
    }

    LoadResult result() {
        List<K8sNamespace> namespaces = new ArrayList<>();
        List<K8sNode> nodes = new ArrayList<>();
        List<K8sService> services = new ArrayList<>();
        List<K8sDeployment> deployments = new ArrayList<>();
        List<K8sPod> pods = new ArrayList<>();
        List<DestinationRuleConfig> drs = new ArrayList<>();
        List<VirtualServiceConfig> vss = new ArrayList<>();
        List<ServiceEntryConfig> ses = new ArrayList<>();
        List<WorkloadEntryConfig> wes = new ArrayList<>();
        List<GatewayConfig> gws = new ArrayList<>();
        List<SidecarConfig> sidecars = new ArrayList<>();
        List<PeerAuthenticationConfig> peerAuthentications = new ArrayList<>();
        List<K8sSecret> secrets = new ArrayList<>();
        List<K8sServiceAccount> serviceAccounts = new ArrayList<>();
        List<IgnoredResource> ignored = new ArrayList<>();
        List<IstioOperatorConfig> operators = new ArrayList<>();
        List<TelemetryConfig> telemetries = new ArrayList<>();
        MeshAccessLog meshAccessLog = MeshAccessLog.OFF;
        boolean meshConfigRead = false;
        for (Object r : resources.values()) {
            if (r instanceof IgnoredResource x) {
                ignored.add(x);
            } else if (r instanceof K8sNamespace x) {
                namespaces.add(x);
            } else if (r instanceof K8sNode x) {
                nodes.add(x);
            } else if (r instanceof K8sService x) {
                services.add(x);
            } else if (r instanceof K8sDeployment x) {
                deployments.add(x);
            } else if (r instanceof K8sPod x) {
                pods.add(x);
            } else if (r instanceof DestinationRuleConfig x) {
                drs.add(x);
            } else if (r instanceof VirtualServiceConfig x) {
                vss.add(x);
            } else if (r instanceof ServiceEntryConfig x) {
                ses.add(x);
            } else if (r instanceof WorkloadEntryConfig x) {
                wes.add(x);
            } else if (r instanceof GatewayConfig x) {
                gws.add(x);
            } else if (r instanceof SidecarConfig x) {
                sidecars.add(x);
            } else if (r instanceof PeerAuthenticationConfig x) {
                peerAuthentications.add(x);
            } else if (r instanceof K8sSecret x) {
                secrets.add(x);
            } else if (r instanceof K8sServiceAccount x) {
                serviceAccounts.add(x);
            } else if (r instanceof IstioOperatorConfig x) {
                operators.add(x);
            } else if (r instanceof TelemetryConfig x) {
                telemetries.add(x);
            } else if (r instanceof MeshConfigMap x) {
                // istiod reads one mesh ConfigMap; resources come in name order, so the first wins.
                if (!meshConfigRead) {
                    meshAccessLog = x.accessLog();
                    meshConfigRead = true;
                }
            } else {
                throw new IllegalStateException(
                        "unexpected resource type " + r.getClass().getName());
            }
        }
        List<Diagnostic> all = new ArrayList<>(diagnostics);
        IgnoredKinds.finding(ignored).ifPresent(all::add);
        return new LoadResult(
                new MeshConfigBundle(
                        namespaces,
                        nodes,
                        services,
                        deployments,
                        pods,
                        new IstioConfig(drs, vss, ses, wes, gws, sidecars, peerAuthentications)
                                .withTelemetry(meshAccessLog, telemetries),
                        secrets,
                        serviceAccounts,
                        operators),
                all);
    }
}
