package io.zonemesh.xds;

import io.zonemesh.model.MeshState;
import org.junit.jupiter.api.Test;

/** The canary example mesh, whole output per kind of proxy, against reviewed golden JSON. */
class GoldenCanaryTest {
    private final XdsGenerator generator = new XdsGenerator();
    private final MeshState state = CanaryMesh.state();

    @Test
    void sidecarOfVersionOne() throws Exception {
        GoldenFiles.assertMatches(
                "canary/sidecar-istio-test-v1.json", XdsJson.print(generator.generate(state, CanaryMesh.sidecar())));
    }

    @Test
    void ingressGateway() throws Exception {
        GoldenFiles.assertMatches(
                "canary/ingressgateway.json", XdsJson.print(generator.generate(state, CanaryMesh.gateway())));
    }

    @Test
    void grpcClient() throws Exception {
        GoldenFiles.assertMatches(
                "canary/grpc-client.json",
                XdsJson.print(generator.generate(state, CanaryMesh.sidecar().withoutOverprovisioning(true))));
    }
}
