package io.zonemesh.config.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.zonemesh.config.yaml.YamlDocuments;
import org.junit.jupiter.api.Test;

class DocumentParserTest {
    private static final String NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata: {name: ops}\n";

    @Test
    void failureInsideAParserBecomesAnInternalErrorForThatDocumentOnly() {
        DocumentParser parser = new DocumentParser((apiVersion, kind) ->
                new ResourceKinds.Entry(apiVersion, kind, Namespace.class, false, false, (resource, ctx) -> {
                    throw new IllegalStateException("boom");
                }));

        ParsedDocument doc = parser.parse(new YamlDocuments().parse(NAMESPACE).get(0), "ns.yaml");

        assertThat(doc.resource()).isNull();
        assertThat(doc.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0001");
            assertThat(d.source()).isEqualTo("ns.yaml");
            assertThat(d.document()).isEqualTo(1);
            assertThat(d.resource()).isEqualTo("Namespace/ops");
            assertThat(d.message()).isEqualTo("java.lang.IllegalStateException: boom");
        });
    }

    @Test
    void cleanDocumentYieldsItsRecordAndIdentity() {
        ParsedDocument doc =
                new DocumentParser().parse(new YamlDocuments().parse(NAMESPACE).get(0), "ns.yaml");

        assertThat(doc.diagnostics()).isEmpty();
        assertThat(doc.meta().ref()).isEqualTo("Namespace/ops");
        assertThat(doc.resource()).isNotNull();
    }
}
