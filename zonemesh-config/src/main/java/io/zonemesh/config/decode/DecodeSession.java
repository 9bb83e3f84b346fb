package io.zonemesh.config.decode;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import io.zonemesh.config.DiagnosticCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The state of one decode call, kept as a Jackson context attribute: the problems found so far
 * and how to turn a parser position into a path in the user's document.
 *
 * <p>Protobuf {@code oneof} fields are regrouped by {@link OneofDeserializer} into a synthetic
 * tree read by a fresh parser, whose positions start at that tree's root. Each such step pushes
 * a frame holding the absolute path of the object and the synthetic wrapper names to drop, so a
 * problem deep inside still reports {@code spec.trafficPolicy.loadBalancer.consistentHash.x}.
 */
final class DecodeSession {
    static final Object KEY = DecodeSession.class;

    private final List<FieldProblem> problems = new ArrayList<>();
    private final Deque<Frame> frames = new ArrayDeque<>();

    static DecodeSession of(DeserializationContext ctxt) {
        Object s = ctxt.getAttribute(KEY);
        if (s instanceof DecodeSession session) {
            return session;
        }
        // Only reachable if a reader is used without StrictDecoder; keep going with a private session.
        DecodeSession session = new DecodeSession();
        ctxt.setAttribute(KEY, session);
        return session;
    }

    void add(DiagnosticCode code, FieldPath path, String message) {
        problems.add(new FieldProblem(code, path, message));
    }

    List<FieldProblem> problems() {
        return problems;
    }

    /** The absolute path of the parser's current position. */
    FieldPath pathOf(JsonStreamContext context) {
        FieldPath relative = relative(context);
        Frame top = frames.peek();
        return top == null ? relative : top.map(relative);
    }

    void push(FieldPath prefix, Set<String> syntheticNames) {
        frames.push(new Frame(prefix, syntheticNames));
    }

    void pop() {
        frames.pop();
    }

    /**
     * The path from the parser's root. An object context without a current name is the object
     * just opened (the parser stands on its START_OBJECT) and adds nothing; likewise an array
     * before its first element (whose getCurrentIndex() already claims 0).
     */
    private static FieldPath relative(JsonStreamContext context) {
        Deque<Object> segments = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null; c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                segments.push(c.getCurrentName());
            } else if (c.inArray() && c.getEntryCount() > 0) {
                segments.push(c.getCurrentIndex());
            }
        }
        FieldPath p = FieldPath.ROOT;
        for (Object s : segments) {
            p = s instanceof Integer i ? p.index(i) : p.field((String) s);
        }
        return p;
    }

    private record Frame(FieldPath prefix, Set<String> syntheticNames) {
        FieldPath map(FieldPath relative) {
            List<Object> segments = relative.segments();
            int skip = !segments.isEmpty() && segments.get(0) instanceof String s && syntheticNames.contains(s) ? 1 : 0;
            FieldPath rest = FieldPath.ROOT;
            for (Object s : segments.subList(skip, segments.size())) {
                rest = s instanceof Integer i ? rest.index(i) : rest.field((String) s);
            }
            return prefix.concat(rest);
        }
    }
}
