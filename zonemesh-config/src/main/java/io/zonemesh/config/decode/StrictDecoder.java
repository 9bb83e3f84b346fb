package io.zonemesh.config.decode;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.zonemesh.config.DiagnosticCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a YAML document tree into a fabric8 model class and reports every unknown field and
 * every wrongly typed value, with its path, instead of stopping at the first.
 *
 * <p>Unknown fields are recorded and skipped as they are met. A value of the wrong type makes
 * Jackson throw; the decoder records it, removes the value from its copy of the document and
 * reads again, so later problems are found too (bounded by {@link #MAX_ATTEMPTS}).
 *
 * <p>Types are strict the way the Kubernetes API server is: numbers are not strings, strings
 * are not numbers or booleans, and {@code 1.5} is not an integer. Thread-safe.
 */
public final class StrictDecoder {
    /** A document with more wrongly typed values than this is reported only up to here. */
    static final int MAX_ATTEMPTS = 64;

    private final ObjectMapper mapper;

    public StrictDecoder() {
        ObjectMapper m = new ObjectMapper();
        m.setAnnotationIntrospector(new StrictIntrospector());
        m.addHandler(new UnknownFieldRecorder());
        SimpleModule strictEnums = new SimpleModule("zonemesh-strict-enums");
        strictEnums.setDeserializerModifier(new StrictEnumDeserializer.Modifier());
        m.registerModule(strictEnums);
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        this.mapper = m;
    }

    /** Reads {@code document} (left unchanged) as {@code type}. */
    public <T> Decoded<T> decode(JsonNode document, Class<T> type) {
        JsonNode working = document.deepCopy();
        List<FieldProblem> typeErrors = new ArrayList<>();
        // Problems met before an attempt failed are real too (e.g. a oneof conflict next to a
        // wrongly typed value); identical ones found again by a later attempt are kept once.
        Set<FieldProblem> seen = new LinkedHashSet<>();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            DecodeSession session = new DecodeSession();
            try {
                T value = mapper.readerFor(type)
                        .withAttribute(DecodeSession.KEY, session)
                        .readValue(working);
                seen.addAll(session.problems());
                return new Decoded<>(value, concat(typeErrors, seen));
            } catch (JsonMappingException e) {
                seen.addAll(session.problems());
                FieldPath path = TypeErrors.pathOf(e);
                typeErrors.add(new FieldProblem(
                        DiagnosticCode.WRONG_TYPE, path, TypeErrors.message(e, path, JsonNodes.at(working, path))));
                if (!JsonNodes.remove(working, path)) {
                    return new Decoded<>(null, concat(typeErrors, seen));
                }
            } catch (IOException e) {
                seen.addAll(session.problems());
                typeErrors.add(new FieldProblem(
                        DiagnosticCode.WRONG_TYPE, FieldPath.ROOT, "document cannot be read: " + e.getMessage()));
                return new Decoded<>(null, concat(typeErrors, seen));
            }
        }
        typeErrors.add(new FieldProblem(
                DiagnosticCode.WRONG_TYPE,
                FieldPath.ROOT,
                "more than " + MAX_ATTEMPTS + " wrongly typed values (expected: fix the ones above first)"));
        return new Decoded<>(null, concat(typeErrors, seen));
    }

    private static List<FieldProblem> concat(List<FieldProblem> a, Set<FieldProblem> b) {
        List<FieldProblem> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
