package io.zonemesh.config.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TreeTraversingParser;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.DiagnosticCode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Reads a fabric8 Istio class that has protobuf {@code oneof} groups, in place of fabric8's
 * {@code JsonUnwrappedDeserializer}: members written flat in YAML ({@code simple: ROUND_ROBIN})
 * are regrouped under the synthetic property ({@code LbPolicy: {simple: ROUND_ROBIN}}) that the
 * bean deserializer expects, where Jackson deduces the subtype from the member's name.
 *
 * <p>Unlike fabric8's version it never lets a problem pass silently: two members of one oneof
 * are reported (protobuf JSON rejects them too), and fields that are neither members nor own
 * properties reach the bean deserializer, whose unknown-property handler reports them with
 * their full path.
 */
final class OneofDeserializer<T> extends JsonDeserializer<T> implements ContextualDeserializer {
    private final @Nullable JavaType type;
    private final @Nullable JsonDeserializer<Object> beanDeserializer;
    private final OneofFields oneofs;

    /** Jackson instantiates this through {@code @JsonDeserialize(using = ...)}; see createContextual. */
    OneofDeserializer() {
        this.type = null;
        this.beanDeserializer = null;
        this.oneofs = OneofFields.of(Object.class);
    }

    private OneofDeserializer(JavaType type, JsonDeserializer<Object> beanDeserializer) {
        this.type = type;
        this.beanDeserializer = beanDeserializer;
        this.oneofs = OneofFields.of(type.getRawClass());
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
            throws JsonMappingException {
        JavaType contextual = ctxt.getContextualType();
        if (contextual == null && property != null) {
            contextual = property.getType();
        }
        if (contextual == null) {
            throw JsonMappingException.from(ctxt, "oneof deserializer used without a type");
        }
        BeanDescription description = ctxt.getConfig().introspect(contextual);
        // Built directly so that the class's own @JsonDeserialize(using = ...) does not recurse here.
        JsonDeserializer<Object> bean = ctxt.getFactory().createBeanDeserializer(ctxt, contextual, description);
        if (bean instanceof ResolvableDeserializer resolvable) {
            resolvable.resolve(ctxt);
        }
        return new OneofDeserializer<T>(contextual, bean);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (type == null || beanDeserializer == null) {
            throw JsonMappingException.from(p, "oneof deserializer used before contextualization");
        }
        if (!p.isExpectedStartObjectToken()) {
            return (T) ctxt.handleUnexpectedToken(type, p);
        }
        DecodeSession session = DecodeSession.of(ctxt);
        FieldPath here = session.pathOf(p.getParsingContext());
        JsonNode tree = p.readValueAsTree();
        ObjectNode regrouped = regroup((ObjectNode) tree, here, session, ctxt);
        session.push(here, oneofs.syntheticNames());
        try (TreeTraversingParser synthetic = new TreeTraversingParser(regrouped, p.getCodec())) {
            synthetic.nextToken();
            return (T) beanDeserializer.deserialize(synthetic, ctxt);
        } finally {
            session.pop();
        }
    }

    private ObjectNode regroup(ObjectNode in, FieldPath here, DecodeSession session, DeserializationContext ctxt) {
        ObjectNode out = ctxt.getNodeFactory().objectNode();
        Map<OneofFields.Oneof, String> chosen = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : in.properties()) {
            String name = e.getKey();
            if (oneofs.syntheticNames().contains(name)) {
                // fabric8's internal grouping name is not part of the Istio schema.
                session.add(
                        DiagnosticCode.UNKNOWN_FIELD,
                        here.field(name),
                        "unknown field (expected: one of "
                                + oneofs.userVisible(
                                        Objects.requireNonNull(beanDeserializer).getKnownPropertyNames()) + ")");
                continue;
            }
            OneofFields.Oneof oneof = oneofs.oneofOf(name);
            if (oneof == null) {
                out.set(name, e.getValue());
                continue;
            }
            String first = chosen.putIfAbsent(oneof, name);
            if (first != null) {
                session.add(
                        DiagnosticCode.INVALID_VALUE,
                        here.field(name),
                        "set together with '" + first + "' (expected: only one of " + new TreeSet<>(oneof.members())
                                + ")");
                continue;
            }
            out.putObject(oneof.syntheticName()).set(name, e.getValue());
        }
        return out;
    }
}
