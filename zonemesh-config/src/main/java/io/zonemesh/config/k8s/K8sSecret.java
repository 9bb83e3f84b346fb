package io.zonemesh.config.k8s;

import io.zonemesh.model.istio.ResourceMeta;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Secret (v1), e.g. Istio's plug-in CA {@code cacerts} with {@code ca-cert.pem}, {@code ca-key.pem},
 * {@code root-cert.pem} and {@code cert-chain.pem}.
 *
 * @param type {@code type}, {@code Opaque} when the manifest leaves it out (the API server's default)
 * @param data {@code data} (base64-decoded) merged with {@code stringData}, whose entries win as the
 *     API server merges them; the arrays are copies, callers cannot change the Secret
 */
public record K8sSecret(ResourceMeta meta, String type, Map<String, byte[]> data) implements K8sMeta {
    /** The API server's default {@code type}. */
    public static final String OPAQUE = "Opaque";

    public K8sSecret {
        Objects.requireNonNull(meta, "meta");
        type = type == null || type.isEmpty() ? OPAQUE : type;
        TreeMap<String, byte[]> copy = new TreeMap<>();
        data.forEach((k, v) -> copy.put(k, v.clone()));
        data = Collections.unmodifiableSortedMap(copy);
    }

    public String namespace() {
        return meta.namespace();
    }

    public String name() {
        return meta.name();
    }

    /** A copy of one entry's bytes, or null. */
    public byte @io.zonemesh.common.Nullable [] get(String key) {
        byte[] value = data.get(key);
        return value == null ? null : value.clone();
    }

    @Override
    public Map<String, byte[]> data() {
        TreeMap<String, byte[]> copy = new TreeMap<>();
        data.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof K8sSecret other)) {
            return false;
        }
        if (!meta.equals(other.meta) || !type.equals(other.type) || !data.keySet().equals(other.data.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : data.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.data.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(meta, type);
        for (Map.Entry<String, byte[]> e : data.entrySet()) {
            h = 31 * h + (e.getKey().hashCode() ^ Arrays.hashCode(e.getValue()));
        }
        return h;
    }

    /** Keys and sizes only: a Secret's content never goes into logs. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("K8sSecret[").append(meta.ref()).append(", type=").append(type);
        data.forEach((k, v) -> b.append(", ").append(k).append("=<").append(v.length).append(" bytes>"));
        return b.append(']').toString();
    }
}
