package io.zonemesh.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
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

    @Test
    void aliasIsTheAnchoredNodeNotItsName() {
        YamlDocument doc = yaml.parse("""
                metadata: {labels: {h: &h helloworld.sample.svc.cluster.local}}
                base: &policy {simple: ROUND_ROBIN, warmup: [1, 2]}
                spec:
                  host: *h
                  loadBalancer: *policy
                """).get(0);

        assertThat(doc.failure()).isNull();
        assertThat(doc.root().at("/spec/host").asText()).isEqualTo("helloworld.sample.svc.cluster.local");
        assertThat(doc.root().at("/spec/loadBalancer").toString())
                .isEqualTo("{\"simple\":\"ROUND_ROBIN\",\"warmup\":[1,2]}");
    }

    @Test
    void aliasInsideAnAnchoredNodeIsExpandedWhereverThatNodeIsReused() {
        YamlDocument doc = yaml.parse("""
                a: &a {x: 1}
                b: &b [*a, {y: *a}]
                c: *b
                a2: &a {x: 2}
                d: *b
                e: *a
                """).get(0);

        assertThat(doc.failure()).isNull();
        assertThat(doc.root().get("c").toString()).isEqualTo("[{\"x\":1},{\"y\":{\"x\":1}}]");
        // A later anchor of the same name applies to later aliases only (YAML 1.2 §3.2.2.2).
        assertThat(doc.root().get("d")).isEqualTo(doc.root().get("c"));
        assertThat(doc.root().get("e").toString()).isEqualTo("{\"x\":2}");
    }

    @Test
    void aliasWithoutAnAnchorIsAnErrorAtTheAlias() {
        YamlDocument doc = yaml.parse("a: 1\nspec:\n  host: *h\n").get(0);

        assertThat(doc.root()).isNull();
        assertThat(doc.failure().message())
                .isEqualTo("alias *h refers to no anchor (expected: &h on a node before it in the same document)");
        assertThat(doc.failure().line()).isEqualTo(3);
        assertThat(doc.failure().column()).isEqualTo(9);
    }

    @Test
    void anchorsDoNotCrossDocuments() {
        List<YamlDocument> docs = yaml.parse("a: &h x\n---\nb: *h\n");

        assertThat(docs.get(0).failure()).isNull();
        assertThat(docs.get(1).failure().message()).startsWith("alias *h refers to no anchor");
    }

    @Test
    void aliasInsideItsOwnAnchoredNodeIsAnError() {
        YamlDocument doc = yaml.parse("a: &loop\n  b: *loop\n").get(0);

        assertThat(doc.failure().message()).startsWith("alias *loop is inside the node anchored &loop");
        assertThat(doc.failure().line()).isEqualTo(2);
    }

    @Test
    void billionLaughsIsRefusedAtTheAliasThatCrossesTheLimit() {
        StringBuilder text = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            String prev = "*l" + (i - 1);
            text.append("l")
                    .append(i)
                    .append(": &l")
                    .append(i)
                    .append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, prev)))
                    .append("]\n");
        }

        YamlDocument doc = yaml.parse(text.toString()).get(0);

        assertThat(doc.root()).isNull();
        assertThat(doc.failure().message()).startsWith("aliases expand this document by more than 100000 nodes at *l");
        // 9^5 nodes under l5 already cross 100,000: the parser stops there instead of building 9^9.
        assertThat(doc.failure().line()).isLessThanOrEqualTo(7);
    }

    @Test
    void aliasBudgetCountsEveryNodeAnAliasAdds() {
        YamlDocuments small = new YamlDocuments(new YamlLimits(1 << 20, 1 << 20, 4));

        assertThat(small.parse("a: &a [1, 2]\nb: *a\n").get(0).failure()).isNull();
        assertThat(small.parse("a: &a [1, 2]\nb: *a\nc: *a\n").get(0).failure().message())
                .startsWith("aliases expand this document by more than 4 nodes at *a");
    }

    @Test
    void mergeKeysAreRefusedPrecisely() {
        YamlDocument doc =
                yaml.parse("base: &b {x: 1}\nspec:\n  <<: *b\n  y: 2\n").get(0);

        assertThat(doc.failure().message()).startsWith("merge keys (<<) are not supported");
        assertThat(doc.failure().line()).isEqualTo(3);
        // Quoted, or as a value, "<<" is an ordinary string.
        assertThat(yaml.parse("\"<<\": x\ny: <<\n").get(0).root().toString()).isEqualTo("{\"<<\":\"x\",\"y\":\"<<\"}");
    }

    @Test
    void documentOverTheLimitIsReportedWithoutParsingIt() {
        YamlDocuments small = new YamlDocuments(new YamlLimits(1 << 20, 64, 100));
        String big = "a: " + "x".repeat(100) + "\n";

        List<YamlDocument> docs = small.parse("ok: 1\n---\n" + big + "---\nok: 2\n");

        assertThat(docs).hasSize(3);
        assertThat(docs.get(1).failure().line()).isEqualTo(2);
        assertThat(docs.get(1).failure().message())
                .isEqualTo("document is 108 characters, over the limit of 64 "
                        + "characters for one document (expected: a smaller document, as the Kubernetes API server takes none "
                        + "over 3 MiB; or raise the limit with --max-document-size)");
        assertThat(docs.get(2).root().get("ok").asInt()).isEqualTo(2);
    }

    @Test
    void forbiddenCharacterIsStillASyntaxError() {
        YamlDocument doc = yaml.parse("a: b\u0001c\n").get(0);

        assertThat(doc.failure().message()).contains("special characters are not allowed");
    }

    /**
     * SnakeYAML's own reader copies its whole look-ahead window every 1,024 characters, so one
     * long token cost time and memory quadratic in its length (an 8 MB scalar: 17.5 s, 1.6 GB).
     * Allocation is a deterministic stand-in for that work: doubling the scalar must about
     * double it, where the quadratic reader quadrupled it.
     */
    @Test
    void longScalarCostsMemoryLinearInItsLength() {
        yaml.parse("warm: up\n");
        long one = allocatedParsing("a: " + "x".repeat(1 << 20) + "\n");
        long two = allocatedParsing("a: " + "x".repeat(2 << 20) + "\n");

        assertThat((double) two / one).isLessThan(3.0);
        assertThat(one).isLessThan(64L << 20);
    }

    private long allocatedParsing(String text) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        YamlDocument doc = yaml.parse(text).get(0);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(doc.failure()).isNull();
        return allocated;
    }
}
