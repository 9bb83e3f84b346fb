package io.zonemesh.config.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a multi-document YAML stream at its {@code ---} markers and parses each document on
 * its own, so that a syntax error in one document does not hide the documents after it (a
 * single streaming parser cannot resume after an error). Line numbers stay those of the file.
 * Thread-safe.
 */
public final class YamlDocuments {
    private static final Pattern START = Pattern.compile("^---(?=\\s|$).*");
    private static final Pattern END = Pattern.compile("^\\.\\.\\.\\s*$");
    private static final Pattern BLANK_OR_COMMENT = Pattern.compile("^\\s*(#.*)?$");

    private final ObjectMapper yaml;

    public YamlDocuments() {
        YAMLFactory factory = new YAMLFactory();
        // A key written twice in one mapping is a mistake that plain parsing would hide (last one wins).
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.yaml = new ObjectMapper(factory);
    }

    /** Every non-empty document of {@code text}, in order. */
    public List<YamlDocument> parse(String text) {
        List<YamlDocument> out = new ArrayList<>();
        List<Chunk> chunks = split(text);
        int number = 0;
        for (Chunk c : chunks) {
            if (c.blank) {
                continue;
            }
            number++;
            out.add(parse(number, c));
        }
        return out;
    }

    private YamlDocument parse(int number, Chunk c) {
        try {
            JsonNode root = yaml.readTree(c.text);
            return new YamlDocument(number, c.firstLine, root == null ? yaml.nullNode() : root, null);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null || loc.getLineNr() < 1 ? c.firstLine : c.firstLine + loc.getLineNr() - 1;
            int column = loc == null ? 0 : Math.max(loc.getColumnNr(), 0);
            return new YamlDocument(number, c.firstLine, null, new YamlDocument.Failure(line, column,
                    firstLine(e.getOriginalMessage())));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid YAML";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }

    private record Chunk(int firstLine, String text, boolean blank) {}

    private static List<Chunk> split(String text) {
        List<Chunk> chunks = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder current = new StringBuilder();
        int firstLine = 1;
        boolean blank = true;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (START.matcher(line).matches()) {
                chunks.add(new Chunk(firstLine, current.toString(), blank));
                current.setLength(0);
                firstLine = i + 1;
                // Keep content written after the marker ("--- {a: 1}"), at its original column.
                line = "   " + line.substring(3);
                blank = true;
            } else if (END.matcher(line).matches()) {
                line = "";
            }
            if (!BLANK_OR_COMMENT.matcher(line).matches()) {
                blank = false;
            }
            current.append(line).append('\n');
        }
        chunks.add(new Chunk(firstLine, current.toString(), blank));
        return chunks;
    }
}
