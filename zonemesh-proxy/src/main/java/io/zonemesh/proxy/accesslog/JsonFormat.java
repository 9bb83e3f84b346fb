package io.zonemesh.proxy.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.zonemesh.common.Nullable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Envoy's {@code json_format}: an object whose string values are format strings, compiled once.
 * Typed as Envoy: a value that is exactly one operator keeps its type (numbers stay numbers) and is
 * {@code null} when it does not apply; a value mixing text and operators is a string. Nested
 * objects and lists nest; numbers and booleans are printed as given. One object per line. Keys are
 * printed sorted (Envoy's {@code json_format_options.sort_properties}; unsorted, Envoy's order is
 * the map's, which a reader cannot rely on either).
 */
public final class JsonFormat implements LogFormatter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final Struct source;
    private final Map<String, Object> fields;
    private final boolean omitEmptyValues;

    private JsonFormat(Struct source, Map<String, Object> fields, boolean omitEmptyValues) {
        this.source = source;
        this.fields = fields;
        this.omitEmptyValues = omitEmptyValues;
    }

    /** Compiles {@code format}; a {@link FormatException} names the key at fault. */
    public static JsonFormat compile(Struct format, boolean omitEmptyValues) {
        return new JsonFormat(format, compileStruct(format, ""), omitEmptyValues);
    }

    private static Map<String, Object> compileStruct(Struct struct, String path) {
        Map<String, Object> compiled = new TreeMap<>();
        struct.getFieldsMap().forEach((key, value) -> compiled.put(key, compileValue(value, path + key)));
        return compiled;
    }

    private static Object compileValue(Value value, String path) {
        try {
            return switch (value.getKindCase()) {
                case STRING_VALUE -> TextFormat.compile(value.getStringValue(), false);
                case STRUCT_VALUE -> compileStruct(value.getStructValue(), path + ".");
                case NUMBER_VALUE -> value.getNumberValue();
                case BOOL_VALUE -> value.getBoolValue();
                case LIST_VALUE -> {
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < value.getListValue().getValuesCount(); i++) {
                        items.add(compileValue(value.getListValue().getValues(i), path + "[" + i + "]"));
                    }
                    yield List.copyOf(items);
                }
                default ->
                    throw new FormatException("json_format." + path + ": " + value.getKindCase()
                            + " (expected: a string, number, bool, list or nested object)");
            };
        } catch (FormatException e) {
            throw e.reason().startsWith("json_format.")
                    ? e
                    : new FormatException("json_format." + path + ": " + e.reason());
        }
    }

    @Override
    public String format(AccessLogEntry entry) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            writeObject(json, fields, entry);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.append('\n').toString();
    }

    @SuppressWarnings("unchecked")
    private void writeObject(JsonGenerator json, Map<String, Object> object, AccessLogEntry entry) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, Object> field : object.entrySet()) {
            Object value = field.getValue() instanceof TextFormat text ? text.typed(entry) : field.getValue();
            if (value == null && omitEmptyValues) {
                continue;
            }
            json.writeFieldName(field.getKey());
            writeValue(json, value, entry);
        }
        json.writeEndObject();
    }

    @SuppressWarnings("unchecked")
    private void writeValue(JsonGenerator json, @Nullable Object value, AccessLogEntry entry) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof TextFormat text) {
            writeValue(json, text.typed(entry), entry);
        } else if (value instanceof Map<?, ?> nested) {
            writeObject(json, (Map<String, Object>) nested, entry);
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                writeValue(json, item, entry);
            }
            json.writeEndArray();
        } else if (value instanceof Long number) {
            json.writeNumber(number);
        } else if (value instanceof Double number) {
            if (number == Math.rint(number) && Math.abs(number) < 1e15) {
                json.writeNumber(number.longValue());
            } else {
                json.writeNumber(number);
            }
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else {
            json.writeString(value.toString());
        }
    }

    /** Two formats compiled from the same source print the same lines (snapshots compare listeners). */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof JsonFormat that
                && source.equals(that.source)
                && omitEmptyValues == that.omitEmptyValues;
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + Boolean.hashCode(omitEmptyValues);
    }

    @Override
    public String toString() {
        return source.toString();
    }
}
