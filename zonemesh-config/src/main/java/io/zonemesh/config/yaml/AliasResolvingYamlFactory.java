package io.zonemesh.config.yaml;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.util.Objects;

/**
 * A {@link YAMLFactory} whose parsers read a document from a {@code String} with
 * {@link AliasResolvingParser}. Only {@link #createParser(String)} is overridden: that is the
 * one entry point {@link YamlDocuments} uses (through {@code ObjectMapper.readTree(String)}).
 */
final class AliasResolvingYamlFactory extends YAMLFactory {
    private static final long serialVersionUID = 1L;

    private final YamlLimits limits;

    AliasResolvingYamlFactory(YamlLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public YAMLParser createParser(String content) {
        IOContext context = _createContext(_createContentReference(content), true);
        return new AliasResolvingParser(context, _parserFeatures, _yamlParserFeatures, _objectCodec, content, limits);
    }
}
