package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code -o}: {@code short} (istioctl's default table), {@code wide} (the table with more
 * columns, as kubectl's), {@code json} (istioctl's: the selected resources as a JSON array
 * indented by four spaces, as Go's {@code json.MarshalIndent}) or {@code yaml} (the same as YAML).
 */
enum OutputFormat {
    SHORT,
    WIDE,
    JSON,
    YAML;

    private static final ObjectWriter JSON_WRITER = new ObjectMapper().writer(new GoIndent());
    private static final ObjectWriter YAML_WRITER = new ObjectMapper(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build())
            .writer();

    /** The format named {@code value}; an unknown name is istioctl's error. */
    static OutputFormat parse(String value) {
        for (OutputFormat f : values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(value)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "output format \"" + value + "\" not supported (expected: short, wide, json or yaml)");
    }

    boolean table() {
        return this == SHORT || this == WIDE;
    }

    /** {@code value} as JSON or YAML text (ending in a newline). */
    String print(Object value) throws JsonProcessingException {
        return this == YAML ? YAML_WRITER.writeValueAsString(value) : JSON_WRITER.writeValueAsString(value) + "\n";
    }

    /**
     * Resources as istioctl prints them: it decodes each into its typed message, so the
     * {@code @type} the dump's {@code Any} carried is gone.
     */
    String printResources(List<JsonNode> resources) throws JsonProcessingException {
        List<JsonNode> typed = new ArrayList<>();
        for (JsonNode r : resources) {
            typed.add(r.isObject() ? ((ObjectNode) r.deepCopy()).without("@type") : r);
        }
        return print(typed);
    }

    /** Go's {@code json.MarshalIndent}: {@code "key": value}, and {@code {}}/{@code []} when empty. */
    private static final class GoIndent extends DefaultPrettyPrinter {
        private static final long serialVersionUID = 1L;

        GoIndent() {
            super(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
            // Set here: withObjectIndenter() would copy into a plain DefaultPrettyPrinter.
            _objectIndenter = new DefaultIndenter("    ", "\n");
            _arrayIndenter = new DefaultIndenter("    ", "\n");
        }

        private GoIndent(GoIndent base) {
            super(base);
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new GoIndent(this);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            if (entries == 0) {
                _nesting--;
                g.writeRaw('}');
                return;
            }
            super.writeEndObject(g, entries);
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            if (values == 0) {
                _nesting--;
                g.writeRaw(']');
                return;
            }
            super.writeEndArray(g, values);
        }
    }
}
