package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProxyStatusTableTest {
    private static final String SYNCED = "{\"CDS\":{\"status\":\"SYNCED\"},\"LDS\":{\"status\":\"SYNCED\"}}";

    @Test
    void twoConnectionsClaimingOneProxyAreShownByTheirConnectionIds() throws Exception {
        JsonNode syncz = new ObjectMapper()
                .readTree("["
                        + row("sidecar~a~sleep.sample", "sidecar~a~sleep.sample-1", true, SYNCED) + ","
                        + row(
                                "sidecar~a~sleep.sample",
                                "sidecar~a~sleep.sample-2",
                                true,
                                "{\"CDS\":{\"status\":\"NACKED\",\"lastError\":\"forged\"}}")
                        + ","
                        + row("sidecar~b~hello.sample", "sidecar~b~hello.sample-3", true, SYNCED) + "]");
        StringWriter text = new StringWriter();

        boolean nacked = ProxyStatusCommand.printTable(syncz, new PrintWriter(text, true));

        assertThat(nacked).isTrue();
        assertThat(text.toString().lines())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("sidecar~a~sleep.sample-1 ")
                        .contains("SYNCED")
                        .doesNotContain("forged"))
                .anySatisfy(l ->
                        assertThat(l).startsWith("sidecar~a~sleep.sample-2 ").contains("CDS: forged"))
                // A proxy with one connection keeps its plain name.
                .anySatisfy(
                        l -> assertThat(l).startsWith("sidecar~b~hello.sample ").contains("SYNCED"));
    }

    @Test
    void aSingleSyncedConnectionIsNoNack() throws Exception {
        JsonNode syncz = new ObjectMapper().readTree("[" + row("sidecar~a~sleep.sample", "c-1", false, SYNCED) + "]");
        StringWriter text = new StringWriter();

        assertThat(ProxyStatusCommand.printTable(syncz, new PrintWriter(text, true)))
                .isFalse();
        assertThat(text.toString()).contains("sidecar~a~sleep.sample").contains("(disconnected)");
    }

    private static String row(String proxy, String connection, boolean connected, String types) {
        return "{\"proxy\":\"" + proxy + "\",\"connection\":\"" + connection + "\",\"locality\":\"r/z\",\"connected\":"
                + connected + ",\"types\":" + types + "}";
    }
}
