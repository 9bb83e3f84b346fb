package io.zonemesh.config.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Splits a multi-document YAML stream at its {@code ---} markers and parses each document on
 * its own, so that a syntax error in one document does not hide the documents after it (a
 * single streaming parser cannot resume after an error). Line numbers stay those of the file.
 * Anchors and aliases resolve within a document, as in Kubernetes; a document over
 * {@link YamlLimits#maxDocumentChars()} is reported, not parsed. Time and memory are linear in
 * the text. Thread-safe.
 */
public final class YamlDocuments {
    private static final Pattern START = Pattern.compile("^---(?=\\s|$).*");
    private static final Pattern END = Pattern.compile("^\\.\\.\\.\\s*$");
    private static final Pattern BLANK_OR_COMMENT = Pattern.compile("^\\s*(#.*)?$");

    private final ObjectMapper yaml;
    private final YamlLimits limits;

    public YamlDocuments() {
        this(YamlLimits.DEFAULT);
    }

    public YamlDocuments(YamlLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        AliasResolvingYamlFactory factory = new AliasResolvingYamlFactory(limits);
        // A key written twice in one mapping is a mistake that plain parsing would hide (last one wins).
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.yaml = new ObjectMapper(factory);
    }

    /** Every non-empty document of {@code text}, in order. */
    public List<YamlDocument> parse(String text) {
        List<YamlDocument> out = new ArrayList<>();
        parse(text, out::add);
        return out;
    }

    /**
     * Hands each non-empty document of {@code text} to {@code each} as soon as it is parsed, so
     * that a caller that keeps only what it makes of a document never holds more than one tree.
     */
    public void parse(String text, Consumer<YamlDocument> each) {
        new Splitter(text, chunk -> each.accept(parse(chunk))).run();
    }

    private YamlDocument parse(Chunk c) {
        if (c.text.length() > limits.maxDocumentChars()) {
            return new YamlDocument(
                    c.number,
                    c.firstLine,
                    null,
                    new YamlDocument.Failure(
                            c.firstLine,
                            1,
                            "document is " + Sizes.describe(c.text.length(), "characters") + ", over the limit of "
                                    + Sizes.describe(limits.maxDocumentChars(), "characters")
                                    + " for one document (expected: a smaller document, as the Kubernetes API server "
                                    + "takes none over 3 MiB; or raise the limit with --max-document-size)"));
        }
        try {
            JsonNode root = yaml.readTree(c.text);
            return new YamlDocument(c.number, c.firstLine, root == null ? yaml.nullNode() : root, null);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null || loc.getLineNr() < 1 ? c.firstLine : c.firstLine + loc.getLineNr() - 1;
            int column = loc == null ? 0 : Math.max(loc.getColumnNr(), 0);
            return new YamlDocument(
                    c.number,
                    c.firstLine,
                    null,
                    new YamlDocument.Failure(line, column, firstLine(e.getOriginalMessage())));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid YAML";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }

    private record Chunk(int number, int firstLine, String text) {}

    /** Cuts the text into documents one at a time, so only one document's copy exists at once. */
    private static final class Splitter {
        private final String text;
        private final Consumer<Chunk> sink;
        private final StringBuilder current = new StringBuilder();
        private int firstLine = 1;
        private boolean blank = true;
        private int number;

        Splitter(String text, Consumer<Chunk> sink) {
            this.text = text;
            this.sink = sink;
        }

        void run() {
            int lineNumber = 0;
            int at = 0;
            // Lines as String.split("\r?\n", -1) cuts them: the text after the last break is a line too.
            while (at <= text.length()) {
                int nl = text.indexOf('\n', at);
                int end = nl < 0 ? text.length() : nl;
                int contentEnd = end > at && text.charAt(end - 1) == '\r' && nl >= 0 ? end - 1 : end;
                lineNumber++;
                line(lineNumber, text.substring(at, contentEnd));
                at = end + 1;
            }
            flush();
        }

        private void line(int lineNumber, String line) {
            if (START.matcher(line).matches()) {
                flush();
                firstLine = lineNumber;
                // Keep content written after the marker ("--- {a: 1}"), at its original column.
                line = "   " + line.substring(3);
            } else if (END.matcher(line).matches()) {
                line = "";
            }
            if (blank && !BLANK_OR_COMMENT.matcher(line).matches()) {
                blank = false;
            }
            current.append(line).append('\n');
        }

        private void flush() {
            if (!blank) {
                number++;
                String chunk = current.toString();
                current.setLength(0);
                sink.accept(new Chunk(number, firstLine, chunk));
            }
            current.setLength(0);
            blank = true;
        }
    }
}
