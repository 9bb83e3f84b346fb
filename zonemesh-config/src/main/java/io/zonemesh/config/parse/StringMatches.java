package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.IsStringMatchMatchType;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchExact;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchPrefix;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchRegex;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.VirtualServiceConfig.StringMatch.Kind;
import java.util.LinkedHashMap;
import java.util.Map;

/** Istio {@code StringMatch}: exactly one of exact, prefix, regex (regexes must be RE2). */
final class StringMatches {
    private StringMatches() {}

    /** A uri/method/authority/scheme match; an empty match is reported. */
    static io.zonemesh.model.istio.VirtualServiceConfig.@Nullable StringMatch required(
            @Nullable StringMatch in, FieldPath path, ParseContext ctx) {
        if (in == null) {
            return null;
        }
        if (in.getMatchType() == null) {
            ctx.missing(path, "one of exact, prefix or regex");
            return null;
        }
        return convert(in.getMatchType(), path, ctx);
    }

    /**
     * Header or query parameter matches by name. An empty match ({@code user: {}}) means "present
     * with any value", as Istio translates it to Envoy's present_match.
     */
    static Map<String, io.zonemesh.model.istio.VirtualServiceConfig.StringMatch> byName(
            @Nullable Map<String, StringMatch> in, FieldPath path, ParseContext ctx) {
        Map<String, io.zonemesh.model.istio.VirtualServiceConfig.StringMatch> out = new LinkedHashMap<>();
        if (in == null) {
            return out;
        }
        for (Map.Entry<String, StringMatch> e : in.entrySet()) {
            FieldPath p = path.field(e.getKey());
            if (e.getKey().isEmpty()) {
                ctx.missing(p, "a non-empty name");
                continue;
            }
            StringMatch m = e.getValue();
            var converted = m == null || m.getMatchType() == null
                    ? new io.zonemesh.model.istio.VirtualServiceConfig.StringMatch(Kind.PRESENT, "")
                    : convert(m.getMatchType(), p, ctx);
            if (converted != null) {
                out.put(e.getKey(), converted);
            }
        }
        return out;
    }

    private static io.zonemesh.model.istio.VirtualServiceConfig.@Nullable StringMatch convert(
            IsStringMatchMatchType type, FieldPath path, ParseContext ctx) {
        if (type instanceof StringMatchExact e) {
            return new io.zonemesh.model.istio.VirtualServiceConfig.StringMatch(Kind.EXACT, nonNull(e.getExact()));
        }
        if (type instanceof StringMatchPrefix p) {
            return new io.zonemesh.model.istio.VirtualServiceConfig.StringMatch(Kind.PREFIX, nonNull(p.getPrefix()));
        }
        if (type instanceof StringMatchRegex r) {
            String regex = nonNull(r.getRegex());
            String problem = Names.regex(regex);
            if (problem != null) {
                ctx.invalid(path.field("regex"), problem);
                return null;
            }
            return new io.zonemesh.model.istio.VirtualServiceConfig.StringMatch(Kind.REGEX, regex);
        }
        ctx.missing(path, "one of exact, prefix or regex");
        return null;
    }

    private static String nonNull(@Nullable String s) {
        return s == null ? "" : s;
    }
}
