package io.zonemesh.cli.mtls;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.MeshConfigBundle;
import java.util.Objects;

/**
 * The test mesh: in namespace {@code shop}, {@code sleep} (service account sleep) calls
 * {@code httpbin} (service account httpbin, Service port 8000 → container port 8080), both with
 * sidecars, under a namespace-wide PeerAuthentication whose mode the test picks.
 */
public final class MtlsMesh {
    public static final String NS = "shop";
    public static final int APP_PORT = 8080;
    public static final String HTTPBIN_ID = "spiffe://cluster.local/ns/shop/sa/httpbin";

    private MtlsMesh() {}

    public static String yaml(String mode) {
        return """
                apiVersion: v1
                kind: Node
                metadata:
                  name: worker
                  labels: {kubernetes.io/hostname: worker, topology.kubernetes.io/region: r, topology.kubernetes.io/zone: z}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop, labels: {istio-injection: enabled}}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: sleep, namespace: shop}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: httpbin, namespace: shop}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: httpbin, namespace: shop}
                spec:
                  selector: {app: httpbin}
                  ports: [{port: 8000, targetPort: 8080, name: http}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: httpbin, namespace: shop}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: httpbin}}
                  template:
                    metadata: {labels: {app: httpbin}}
                    spec:
                      serviceAccountName: httpbin
                      containers: [{name: httpbin, image: docker.io/kennethreitz/httpbin, ports: [{containerPort: 8080}]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: sleep, namespace: shop}
                spec:
                  selector: {app: sleep}
                  ports: [{port: 80, name: http}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: sleep, namespace: shop}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: sleep}}
                  template:
                    metadata: {labels: {app: sleep}}
                    spec:
                      serviceAccountName: sleep
                      containers: [{name: sleep, image: curlimages/curl}]
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: shop}
                spec:
                  mtls: {mode: MODE}
                """.replace("MODE", mode);
    }

    public static MeshConfigBundle bundle(String mode) {
        LoadResult loaded = new ConfigLoader().loadString(yaml(mode), "mtls-" + mode + ".yaml");
        assertThat(loaded.hasErrors()).as("%s", loaded.diagnostics()).isFalse();
        return loaded.bundle();
    }

    /** The bound inbound socket of httpbin's sidecar for its application port, from the state file. */
    public static int httpbinInbound(LocalMesh mesh) {
        MeshStateFile.Proxy p = Objects.requireNonNull(mesh.describe("test").proxyOf(NS, "httpbin"), "httpbin");
        return Objects.requireNonNull(p.inboundPorts().get(APP_PORT), "inbound port of 8080");
    }
}
