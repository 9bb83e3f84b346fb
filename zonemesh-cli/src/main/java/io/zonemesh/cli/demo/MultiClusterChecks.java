package io.zonemesh.cli.demo;

import io.zonemesh.cli.mesh.MultiClusterMesh;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sDeployment;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.config.EndpointAssignment;
import io.zonemesh.proxy.xds.XdsResource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What the multicluster demo looks at besides who answered: which address sleep's sidecar has for
 * helloworld's remote locality (cluster2's gateway, not the pod), and how many mutual TLS calls from
 * sleep helloworld-v2's sidecar counted (Istio's {@code istio_requests_total} with
 * {@code connection_security_policy="mutual_tls"}, reported by the destination).
 */
final class MultiClusterChecks {
    /** cluster2's east-west gateway: its Service's loadBalancerIP and Istio's port 15443. */
    static final String CLUSTER2_GATEWAY = "127.0.12.2:15443";

    /** The identity sleep's certificate carries: the mTLS peer helloworld-v2's sidecar verified. */
    static final String SLEEP_IDENTITY = "spiffe://cluster.local/ns/sample/sa/sleep";

    static final String HELLOWORLD_CLUSTER = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String GATEWAY_DEPLOYMENT = "istio-eastwestgateway";

    private final MultiClusterMesh mesh;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    MultiClusterChecks(MultiClusterMesh mesh) {
        this.mesh = mesh;
    }

    /** The addresses sleep's sidecar has for helloworld's endpoints in region2, joined by ", ". */
    String remoteEndpointsOfHelloworld() {
        ZonemeshProxy sleep = sidecar("cluster1", MultiClusterDemo.CLIENT);
        XdsResource<EndpointAssignment> eds =
                sleep.snapshot().resources().endpoints().get(HELLOWORLD_CLUSTER);
        TreeSet<String> out = new TreeSet<>();
        if (eds != null) {
            for (HostSpec h : eds.parsed().hosts()) {
                if (h.locality().startsWith("region2")) {
                    out.add(h.address() + ":" + h.port());
                }
            }
        }
        return String.join(", ", out);
    }

    /** Mutual TLS requests from sleep that helloworld-v2's sidecar served so far. */
    long mutualTlsCallsAtV2() throws IOException, InterruptedException {
        ZonemeshProxy v2 = sidecar("cluster2", "helloworld-v2");
        HttpResponse<String> res = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v2.adminPort() + "/stats/prometheus"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        long total = 0;
        for (String line : res.body().split("\n")) {
            if (line.startsWith("istio_requests_total{")
                    && line.contains("reporter=\"destination\"")
                    && line.contains("source_principal=\"" + SLEEP_IDENTITY + "\"")
                    && line.contains("connection_security_policy=\"mutual_tls\"")) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** {@code bundle} without the east-west gateway's Deployment: its pod stops, the Service stays. */
    static MeshConfigBundle withoutGateway(MeshConfigBundle bundle) {
        List<K8sDeployment> kept = new ArrayList<>();
        for (K8sDeployment d : bundle.deployments()) {
            if (!d.meta().name().equals(GATEWAY_DEPLOYMENT)) {
                kept.add(d);
            }
        }
        return new MeshConfigBundle(
                bundle.namespaces(),
                bundle.nodes(),
                bundle.services(),
                kept,
                bundle.pods(),
                bundle.istio(),
                bundle.secrets(),
                bundle.serviceAccounts(),
                bundle.istioOperators());
    }

    private ZonemeshProxy sidecar(String cluster, String owner) {
        ZonemeshProxy p = mesh.cluster(cluster).sidecarOf(MultiClusterDemo.NAMESPACE, owner);
        if (p == null) {
            throw new IllegalStateException(
                    cluster + ": " + MultiClusterDemo.NAMESPACE + "/" + owner + " has no sidecar");
        }
        return p;
    }
}
