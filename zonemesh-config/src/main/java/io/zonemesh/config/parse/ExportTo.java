package io.zonemesh.config.parse;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code exportTo}, as Istio's {@code validateExportTo}: {@code .}, {@code *}, {@code ~} or namespaces. */
final class ExportTo {
    private ExportTo() {}

    static List<String> parse(@Nullable List<String> in, FieldPath path, ParseContext ctx) {
        List<String> values = Values.list(in);
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null) {
                continue;
            }
            FieldPath ep = path.index(i);
            if (!v.equals(".") && !v.equals("*") && !v.equals("~")) {
                String problem = Names.dns1123Label(v);
                if (problem != null) {
                    ctx.invalid(ep, problem.replace("(expected: ", "(expected: '.', '*', '~' or a namespace: "));
                    continue;
                }
            }
            if (!seen.add(v)) {
                ctx.invalid(ep, '"' + v + "\" (expected: each namespace once)");
                continue;
            }
            out.add(v);
        }
        if (out.size() > 1 && (seen.contains("*") || seen.contains("~"))) {
            ctx.invalid(path, out + " (expected: '*' and '~' alone; they cannot be combined with other entries)");
        }
        return out;
    }
}
