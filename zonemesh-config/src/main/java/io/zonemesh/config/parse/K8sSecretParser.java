package io.zonemesh.config.parse;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.config.k8s.K8sSecret;
import io.zonemesh.config.k8s.K8sServiceAccount;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Secrets and ServiceAccounts (v1), checked as the API server checks them. */
final class K8sSecretParser {
    /** Kubernetes' {@code IsConfigMapKey}: what a Secret key may be. */
    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    private K8sSecretParser() {}

    static K8sServiceAccount serviceAccount(ServiceAccount sa, ParseContext ctx) {
        return new K8sServiceAccount(ctx.meta());
    }

    /** {@code data} is base64 (standard alphabet, padded); {@code stringData} entries replace {@code data}'s. */
    static K8sSecret secret(Secret secret, ParseContext ctx) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        FieldPath dataPath = FieldPath.of("data");
        Values.strings(secret.getData()).forEach((key, value) -> {
            if (checkKey(key, dataPath, ctx)) {
                try {
                    data.put(key, Base64.getDecoder().decode(value));
                } catch (IllegalArgumentException e) {
                    ctx.invalid(dataPath.field(key), "not base64 (" + e.getMessage() + ") (expected: base64 of the "
                            + "value, or the plain value under stringData)");
                }
            }
        });
        FieldPath stringPath = FieldPath.of("stringData");
        Values.strings(secret.getStringData()).forEach((key, value) -> {
            if (checkKey(key, stringPath, ctx)) {
                data.put(key, value.getBytes(StandardCharsets.UTF_8));
            }
        });
        return new K8sSecret(ctx.meta(), secret.getType(), data);
    }

    private static boolean checkKey(String key, FieldPath path, ParseContext ctx) {
        if (key.length() > 253 || !KEY.matcher(key).matches() || key.equals(".") || key.equals("..")) {
            ctx.invalid(
                    path.field(key),
                    '"' + key + "\" (expected: a key of at most 253 letters, digits, '-', '_' and '.', not . or ..)");
            return false;
        }
        return true;
    }
}
