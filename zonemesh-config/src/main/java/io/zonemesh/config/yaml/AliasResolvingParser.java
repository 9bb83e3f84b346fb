package io.zonemesh.config.yaml;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.zonemesh.common.Nullable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;

/**
 * Jackson's YAML parser with YAML anchors and aliases resolved, as Kubernetes reads them
 * (sigs.k8s.io/yaml, go-yaml): {@code host: *h} is the node anchored {@code &h}, not the string
 * {@code "h"} that Jackson's plain parser returns for an alias. Reads one document held in
 * memory, linearly (see {@link WholeTextReader}).
 *
 * <p>Resolution works on SnakeYAML's event stream through {@link YAMLParser#getEvent()}, the hook
 * Jackson provides for this: from the first anchor on, every event handed to Jackson is logged
 * (aliases already expanded), an anchor is a range of that log, and an alias replays its range.
 * Jackson's own {@code YAMLAnchorReplayingParser} does not bound the total expansion, and
 * SnakeYAML's {@code maxAliasesForCollections} lives in its {@code Composer}, which Jackson does
 * not use (and which shares alias nodes instead of copying them): here the nodes that aliases add
 * to one document are counted and bounded by {@link YamlLimits#maxAliasNodes()}, so a "billion
 * laughs" document fails at once with the alias that crossed the limit.
 *
 * <p>Errors, each a {@link JsonParseException} at the alias: an alias to an anchor not defined
 * before it, an alias inside the node it refers to (a recursive structure, which JSON cannot
 * hold), too many alias nodes, and a merge key ({@code <<}), which zonemesh does not implement.
 */
final class AliasResolvingParser extends YAMLParser {
    private record Range(int start, int end, int nodes) {}

    private record OpenAnchor(String name, int start, int depth, int nodesBefore) {}

    private final int maxAliasNodes;
    /** Events since the first anchor; empty for a document without anchors. */
    private final List<Event> log = new ArrayList<>();

    private final Map<String, Range> anchors = new HashMap<>();
    /** Anchored collections still open, innermost first. */
    private final ArrayDeque<OpenAnchor> open = new ArrayDeque<>();

    private boolean logging;
    private int depth;
    /** Scalars and collections in the log: what an anchored range contributes per alias. */
    private int nodesLogged;

    private int aliasNodes;
    private int replayAt;
    private int replayEnd;

    AliasResolvingParser(
            IOContext context,
            int parserFeatures,
            int formatFeatures,
            ObjectCodec codec,
            String document,
            YamlLimits limits) {
        super(
                context,
                parserFeatures,
                formatFeatures,
                codec,
                null,
                new ParserImpl(new WholeTextReader(document), loaderOptions(limits)));
        this.maxAliasNodes = limits.maxAliasNodes();
    }

    private static LoaderOptions loaderOptions(YamlLimits limits) {
        LoaderOptions options = new LoaderOptions();
        // A backstop: YamlDocuments rejects a longer document with a precise message before parsing.
        options.setCodePointLimit(limits.maxDocumentChars());
        return options;
    }

    @Override
    protected @Nullable Event getEvent() throws IOException {
        Event event;
        if (replayAt < replayEnd) {
            event = log.get(replayAt++);
        } else {
            event = super.getEvent();
            if (event == null) {
                return null;
            }
            if (event instanceof AliasEvent alias) {
                Range range = resolve(alias);
                replayAt = range.start();
                replayEnd = range.end();
                event = log.get(replayAt++);
            } else if (event instanceof NodeEvent node && node.getAnchor() != null) {
                define(node);
            } else if (isMergeKey(event)) {
                throw error(
                        event,
                        "merge keys (<<) are not supported (expected: the keys written out, or an "
                                + "alias as the whole value)");
            }
        }
        record(event);
        return event;
    }

    private void define(NodeEvent node) {
        logging = true;
        if (node instanceof CollectionStartEvent) {
            open.push(new OpenAnchor(node.getAnchor(), log.size(), depth, nodesLogged));
        } else {
            anchors.put(node.getAnchor(), new Range(log.size(), log.size() + 1, 1));
        }
    }

    private Range resolve(AliasEvent alias) throws JsonParseException {
        String name = alias.getAnchor();
        for (OpenAnchor a : open) {
            if (a.name().equals(name)) {
                throw error(
                        alias,
                        "alias *" + name + " is inside the node anchored &" + name
                                + ", a recursive structure (expected: an alias after the end of its anchored node)");
            }
        }
        Range range = anchors.get(name);
        if (range == null) {
            throw error(
                    alias,
                    "alias *" + name + " refers to no anchor (expected: &" + name
                            + " on a node before it in the same document)");
        }
        aliasNodes += range.nodes();
        if (aliasNodes > maxAliasNodes) {
            throw error(
                    alias,
                    "aliases expand this document by more than " + maxAliasNodes + " nodes at *" + name
                            + " (expected: fewer or smaller aliases; nested aliases multiply, as in a \"billion laughs\" "
                            + "document)");
        }
        return range;
    }

    private void record(Event event) {
        if (logging) {
            log.add(event);
            if (event instanceof ScalarEvent || event instanceof CollectionStartEvent) {
                nodesLogged++;
            }
        }
        if (event instanceof CollectionStartEvent) {
            depth++;
        } else if (event instanceof CollectionEndEvent) {
            depth--;
            // Replayed ranges are balanced and start deeper than any open anchor, so only the
            // anchored collection's own end brings the depth back to where it started.
            OpenAnchor innermost = open.peek();
            if (innermost != null && innermost.depth() == depth) {
                open.pop();
                anchors.put(
                        innermost.name(),
                        new Range(innermost.start(), log.size(), nodesLogged - innermost.nodesBefore()));
            }
        }
    }

    /**
     * A plain {@code <<} where Jackson expects a field name (the same test its nextToken makes,
     * on the state before this event).
     */
    private boolean isMergeKey(Event event) {
        return event instanceof ScalarEvent scalar
                && scalar.isPlain()
                && "<<".equals(scalar.getValue())
                && _parsingContext.inObject()
                && _currToken != JsonToken.FIELD_NAME;
    }

    private JsonParseException error(Event at, String message) {
        return new JsonParseException(this, message, _locationFor(at.getStartMark()));
    }
}
