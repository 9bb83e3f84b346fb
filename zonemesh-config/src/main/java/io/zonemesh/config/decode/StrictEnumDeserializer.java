package io.zonemesh.config.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * fabric8's Istio enums map an unknown name to null through a lenient {@code fromValue} creator
 * (case-insensitive, so {@code simple: BOGUS} silently means "unset"). Protobuf JSON, which
 * Istio uses, accepts the exact name or the enum's number; this wrapper reports anything else.
 */
final class StrictEnumDeserializer extends JsonDeserializer<Object> {
    private final Class<?> enumType;
    private final JsonDeserializer<?> delegate;

    private StrictEnumDeserializer(Class<?> enumType, JsonDeserializer<?> delegate) {
        this.enumType = enumType;
        this.delegate = delegate;
    }

    /** Installs the wrapper on every enum of fabric8's Istio model. */
    static final class Modifier extends BeanDeserializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public JsonDeserializer<?> modifyEnumDeserializer(
                DeserializationConfig config,
                JavaType type,
                BeanDescription beanDesc,
                JsonDeserializer<?> deserializer) {
            if (type.getRawClass().getName().startsWith("io.fabric8.istio.")) {
                return new StrictEnumDeserializer(type.getRawClass(), deserializer);
            }
            return deserializer;
        }
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            String text = p.getText();
            for (Object constant : enumType.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(text)) {
                    return constant;
                }
            }
            throw ctxt.weirdStringException(text, enumType, "not a value of " + enumType.getSimpleName());
        }
        if (t == JsonToken.VALUE_NUMBER_INT) {
            Object value = delegate.deserialize(p, ctxt);
            if (value == null) {
                throw ctxt.weirdNumberException(
                        p.getNumberValue(), enumType, "not a value of " + enumType.getSimpleName());
            }
            return value;
        }
        return ctxt.handleUnexpectedToken(enumType, p);
    }

    /** The names a user may write, for messages. */
    static List<String> names(Class<?> enumType) {
        List<String> names = new ArrayList<>();
        for (Object c : enumType.getEnumConstants()) {
            names.add(((Enum<?>) c).name());
        }
        return names;
    }
}
