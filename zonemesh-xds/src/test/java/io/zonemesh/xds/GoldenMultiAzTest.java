package io.zonemesh.xds;

import io.zonemesh.model.MeshState;
import org.junit.jupiter.api.Test;

/** The multi-az example mesh, whole output per proxy, against reviewed golden JSON. */
class GoldenMultiAzTest {
    private final XdsGenerator generator = new XdsGenerator();

    @Test
    void localityFailoverFromZoneOne() throws Exception {
        MeshState state = MultiAzMesh.state(MultiAzMesh.localityFailoverRule());

        GoldenFiles.assertMatches(
                "multi-az/locality-failover-sleep-az01.json",
                XdsJson.print(generator.generate(state, MultiAzMesh.sleep(state, "az01"))));
    }

    @Test
    void localityFailoverFromZoneTwo() throws Exception {
        MeshState state = MultiAzMesh.state(MultiAzMesh.localityFailoverRule());

        GoldenFiles.assertMatches(
                "multi-az/locality-failover-sleep-az02.json",
                XdsJson.print(generator.generate(state, MultiAzMesh.sleep(state, "az02"))));
    }

    @Test
    void localityFailoverForAGrpcClient() throws Exception {
        MeshState state = MultiAzMesh.state(MultiAzMesh.localityFailoverRule());
        ProxyIdentity grpc = MultiAzMesh.sleep(state, "az01").withoutOverprovisioning(true);

        GoldenFiles.assertMatches(
                "multi-az/locality-failover-grpc-az01.json", XdsJson.print(generator.outbound(state, grpc)));
    }

    @Test
    void distributePinsToTheOwnZone() throws Exception {
        MeshState state = MultiAzMesh.state(MultiAzMesh.distributeRule(false));

        GoldenFiles.assertMatches(
                "multi-az/distribute-sleep-az01.json",
                XdsJson.print(generator.outbound(state, MultiAzMesh.sleep(state, "az01"))));
    }

    @Test
    void distributeFailoverKeepsTheOtherZoneAsFallback() throws Exception {
        MeshState state = MultiAzMesh.state(MultiAzMesh.distributeRule(true));

        GoldenFiles.assertMatches(
                "multi-az/distribute-failover-sleep-az01.json",
                XdsJson.print(generator.outbound(state, MultiAzMesh.sleep(state, "az01"))));
    }
}
