package io.zonemesh.config.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import io.zonemesh.config.DiagnosticCode;
import java.io.IOException;
import java.util.Collection;
import java.util.Set;

/**
 * Records every unknown field with its path and skips its value, so that all unknown fields of
 * a document are reported in one pass instead of failing at the first.
 */
final class UnknownFieldRecorder extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(
            DeserializationContext ctxt,
            JsonParser p,
            JsonDeserializer<?> deserializer,
            Object beanOrClass,
            String propertyName)
            throws IOException {
        DecodeSession session = DecodeSession.of(ctxt);
        FieldPath path = session.pathOf(p.getParsingContext());
        Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
        Collection<Object> known = deserializer == null ? Set.of() : deserializer.getKnownPropertyNames();
        Set<String> expected = OneofFields.of(type).userVisible(known == null ? Set.of() : known);
        session.add(DiagnosticCode.UNKNOWN_FIELD, path, message(propertyName, expected));
        p.skipChildren();
        return true;
    }

    static String message(String name, Set<String> expected) {
        String suggestion = Suggestions.closest(name, expected);
        return "unknown field" + (suggestion == null ? "" : ", did you mean '" + suggestion + "'?")
                + " (expected: one of " + expected + ")";
    }
}
