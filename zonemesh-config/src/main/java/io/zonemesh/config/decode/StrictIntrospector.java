package io.zonemesh.config.decode;

import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.util.NameTransformer;
import io.fabric8.kubernetes.model.jackson.JsonUnwrappedDeserializer;
import io.zonemesh.common.Nullable;

/**
 * Reads fabric8's models strictly.
 *
 * <ul>
 *   <li>fabric8 classes collect unknown properties through a {@code @JsonAnySetter} into
 *       {@code additionalProperties}; reporting no any-setter makes every unknown field reach
 *       the {@link UnknownFieldRecorder}.
 *   <li>oneof groups are read by {@link OneofDeserializer}, which regroups members itself, so
 *       Jackson's own unwrapping is switched off.
 * </ul>
 */
final class StrictIntrospector extends JacksonAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean hasAnySetter(Annotated a) {
        return Boolean.FALSE;
    }

    @Override
    public @Nullable NameTransformer findUnwrappingNameTransformer(AnnotatedMember member) {
        return null;
    }

    @Override
    public Object findDeserializer(Annotated a) {
        Object deserializer = super.findDeserializer(a);
        return deserializer == JsonUnwrappedDeserializer.class ? OneofDeserializer.class : deserializer;
    }
}
