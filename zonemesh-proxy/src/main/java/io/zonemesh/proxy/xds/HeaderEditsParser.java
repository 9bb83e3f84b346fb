package io.zonemesh.proxy.xds;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.HeaderEdits;
import io.zonemesh.proxy.config.HeaderEdits.AppendAction;
import io.zonemesh.proxy.config.HeaderEdits.HeaderEdit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses header additions and removals. Pseudo-headers and {@code host} are errors, as Envoy
 * rejects them; so are values with {@code %} command operators, which the proxy does not expand
 * ({@code %%} is a literal percent sign).
 */
final class HeaderEditsParser {
    private HeaderEditsParser() {}

    static @Nullable HeaderEdits parse(
            List<HeaderValueOption> requestAdd,
            List<String> requestRemove,
            List<HeaderValueOption> responseAdd,
            List<String> responseRemove,
            ValidationErrors errors,
            String path) {
        int before = errors.count();
        HeaderEdits edits = new HeaderEdits(
                adds(requestAdd, errors, path + ".request_headers_to_add"),
                removes(requestRemove, errors, path + ".request_headers_to_remove"),
                adds(responseAdd, errors, path + ".response_headers_to_add"),
                removes(responseRemove, errors, path + ".response_headers_to_remove"));
        return errors.count() > before ? null : edits;
    }

    @SuppressWarnings("deprecation") // HeaderValueOption.append: still sent, and honoured by Envoy.
    private static List<HeaderEdit> adds(List<HeaderValueOption> options, ValidationErrors errors, String path) {
        List<HeaderEdit> out = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            HeaderValueOption option = options.get(i);
            String field = path + "[" + i + "]";
            String name = option.getHeader().getKey().toLowerCase(Locale.ROOT);
            String value = option.getHeader().getRawValue().isEmpty()
                    ? option.getHeader().getValue()
                    : option.getHeader().getRawValue().toString(StandardCharsets.UTF_8);
            if (!checkName(name, errors, field + ".header.key")) {
                continue;
            }
            String literal = value.replace("%%", "");
            if (literal.contains("%")) {
                errors.add(
                        field + ".header.value",
                        ValidationErrors.quote(value),
                        "a literal value (command operators are not supported by zonemesh-proxy)");
                continue;
            }
            AppendAction action;
            if (option.hasAppend()) {
                action = option.getAppend().getValue()
                        ? AppendAction.APPEND_IF_EXISTS_OR_ADD
                        : AppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
            } else {
                action = switch (option.getAppendAction()) {
                    case APPEND_IF_EXISTS_OR_ADD -> AppendAction.APPEND_IF_EXISTS_OR_ADD;
                    case ADD_IF_ABSENT -> AppendAction.ADD_IF_ABSENT;
                    case OVERWRITE_IF_EXISTS_OR_ADD -> AppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
                    case OVERWRITE_IF_EXISTS -> AppendAction.OVERWRITE_IF_EXISTS;
                    default -> null;
                };
            }
            if (action == null) {
                errors.add(field + ".append_action", option.getAppendAction(), "a known HeaderAppendAction");
                continue;
            }
            out.add(new HeaderEdit(name, value.replace("%%", "%"), action, option.getKeepEmptyValue()));
        }
        return out;
    }

    private static List<String> removes(List<String> names, ValidationErrors errors, String path) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).toLowerCase(Locale.ROOT);
            if (checkName(name, errors, path + "[" + i + "]")) {
                out.add(name);
            }
        }
        return out;
    }

    private static boolean checkName(String name, ValidationErrors errors, String field) {
        if (name.isEmpty() || name.startsWith(":") || name.equals("host")) {
            errors.add(field, ValidationErrors.quote(name), "a header name other than a pseudo-header or host");
            return false;
        }
        return true;
    }
}
