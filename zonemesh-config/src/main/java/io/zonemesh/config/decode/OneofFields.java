package io.zonemesh.config.decode;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.zonemesh.common.Nullable;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The protobuf {@code oneof} groups of a fabric8 Istio model class. fabric8 models a oneof as a
 * {@code @JsonUnwrapped} property (e.g. {@code LbPolicy}) of an interface type whose
 * {@code @JsonSubTypes} each hold one member field (e.g. {@code simple}, {@code consistentHash});
 * in YAML the members sit directly in the enclosing object.
 */
final class OneofFields {
    private static final ClassValue<OneofFields> CACHE = new ClassValue<>() {
        @Override
        protected OneofFields computeValue(Class<?> type) {
            return scan(type);
        }
    };

    /** One oneof: its synthetic property name and its members' YAML names. */
    record Oneof(String syntheticName, Set<String> members) {}

    private final List<Oneof> oneofs;

    private OneofFields(List<Oneof> oneofs) {
        this.oneofs = List.copyOf(oneofs);
    }

    static OneofFields of(Class<?> type) {
        return CACHE.get(type);
    }

    /** The oneof that {@code yamlName} is a member of, or null. */
    @Nullable
    Oneof oneofOf(String yamlName) {
        for (Oneof o : oneofs) {
            if (o.members().contains(yamlName)) {
                return o;
            }
        }
        return null;
    }

    Set<String> syntheticNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Oneof o : oneofs) {
            names.add(o.syntheticName());
        }
        return names;
    }

    /** {@code known} with each synthetic name replaced by its members: what a user may write. */
    Set<String> userVisible(Iterable<?> known) {
        Set<String> out = new java.util.TreeSet<>();
        Set<String> synthetic = syntheticNames();
        for (Object k : known) {
            String name = String.valueOf(k);
            if (!synthetic.contains(name)) {
                out.add(name);
            }
        }
        for (Oneof o : oneofs) {
            out.addAll(o.members());
        }
        return out;
    }

    private static OneofFields scan(Class<?> type) {
        List<Oneof> found = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(JsonUnwrapped.class)) {
                    found.add(new Oneof(jsonName(f), members(f.getType())));
                }
            }
        }
        return new OneofFields(found);
    }

    private static Set<String> members(Class<?> oneofType) {
        Map<String, Boolean> names = new LinkedHashMap<>();
        JsonSubTypes subTypes = oneofType.getAnnotation(JsonSubTypes.class);
        if (subTypes != null) {
            for (JsonSubTypes.Type t : subTypes.value()) {
                for (Field f : t.value().getDeclaredFields()) {
                    JsonProperty p = f.getAnnotation(JsonProperty.class);
                    if (p != null) {
                        names.put(jsonName(f), Boolean.TRUE);
                    }
                }
            }
        }
        return Set.copyOf(names.keySet());
    }

    private static String jsonName(Field f) {
        JsonProperty p = f.getAnnotation(JsonProperty.class);
        return p != null && !p.value().isEmpty() ? p.value() : f.getName();
    }
}
