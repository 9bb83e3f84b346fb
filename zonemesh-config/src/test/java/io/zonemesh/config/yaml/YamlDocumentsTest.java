package io.zonemesh.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class YamlDocumentsTest {
    private final YamlDocuments yaml = new YamlDocuments();

    @Test
    void numbersDocumentsAsUsersCountThemSkippingEmptyOnes() {
        List<YamlDocument> docs = yaml.parse("""
                # leading comment only
                ---
                a: 1
                ---
                # nothing here
                ---
                b: 2
                ...
                """);

        assertThat(docs).extracting(YamlDocument::number).containsExactly(1, 2);
        assertThat(docs).extracting(YamlDocument::line).containsExactly(2, 6);
        assertThat(docs.get(1).root().get("b").asInt()).isEqualTo(2);
    }

    @Test
    void syntaxErrorKeepsTheFileLineAndDoesNotHideLaterDocuments() {
        List<YamlDocument> docs = yaml.parse("""
                a: 1
                ---
                b:
                  c: 1
                   d: 2
                ---
                e: 3
                """);

        assertThat(docs).hasSize(3);
        assertThat(docs.get(1).root()).isNull();
        assertThat(docs.get(1).failure().line()).isEqualTo(5);
        assertThat(docs.get(1).failure().column()).isPositive();
        assertThat(docs.get(2).root().get("e").asInt()).isEqualTo(3);
    }

    @Test
    void contentAfterTheMarkerBelongsToTheNewDocument() {
        List<YamlDocument> docs = yaml.parse("--- {a: 1}\n--- [1, 2]\n");

        assertThat(docs).extracting(d -> d.root().toString()).containsExactly("{\"a\":1}", "[1,2]");
    }

    @Test
    void keyWrittenTwiceInOneMappingIsASyntaxError() {
        List<YamlDocument> docs = yaml.parse("metadata:\n  name: a\n  name: b\n");

        assertThat(docs).singleElement().satisfies(d -> {
            assertThat(d.failure()).isNotNull();
            assertThat(d.failure().message()).contains("Duplicate field 'name'");
            assertThat(d.failure().line()).isEqualTo(3);
        });
    }

    @Test
    void windowsLineEndingsAreAccepted() {
        List<YamlDocument> docs = yaml.parse("a: 1\r\n---\r\nb: 2\r\n");

        assertThat(docs).extracting(d -> d.root().fieldNames().next()).containsExactly("a", "b");
    }

    @Test
    void emptyStreamHasNoDocuments() {
        assertThat(yaml.parse("")).isEmpty();
        assertThat(yaml.parse("---\n---\n# c\n")).isEmpty();
    }
}
