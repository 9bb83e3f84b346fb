package io.zonemesh.config;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.Diagnostic.Severity;
import io.zonemesh.config.parse.DocumentParser;
import io.zonemesh.config.yaml.Sizes;
import io.zonemesh.config.yaml.YamlDocuments;
import io.zonemesh.config.yaml.YamlLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads Istio and Kubernetes YAML (files or directories) into a validated
 * {@link MeshConfigBundle}, reporting every problem at once, each with its file, document,
 * resource and field path. Loading never throws: I/O failures and internal errors become
 * diagnostics too. Resources with errors are left out of the bundle. Thread-safe.
 *
 * <p>A directory contributes its {@code *.yaml} and {@code *.yml} files (not subdirectories,
 * not {@code *.alt} alternatives), in file-name order. Input is bounded by {@link YamlLimits}:
 * a file over the limit is reported and not read, a document over it is reported and not parsed.
 */
public final class ConfigLoader {
    private final YamlLimits limits;
    private final YamlDocuments yaml;
    private final DocumentParser parser = new DocumentParser();

    public ConfigLoader() {
        this(YamlLimits.DEFAULT);
    }

    public ConfigLoader(YamlLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.yaml = new YamlDocuments(limits);
    }

    /** Loads one file, or the YAML files of one directory. */
    public LoadResult load(Path fileOrDirectory) {
        return loadLayers(List.of(fileOrDirectory));
    }

    /**
     * Loads several files or directories as layers: a resource in a later layer replaces the
     * resource of the same kind, namespace and name from earlier ones (e.g. a directory, then an
     * {@code .alt} file that swaps in another DestinationRule). Within one layer a second
     * resource with the same identity is an error.
     */
    public LoadResult loadLayers(List<Path> layers) {
        BundleAssembler assembler = new BundleAssembler();
        for (Path layer : layers) {
            assembler.nextLayer();
            for (Path file : files(layer, assembler)) {
                String text = read(file, assembler);
                if (text != null) {
                    addText(text, file.toString(), assembler);
                }
            }
        }
        return result(assembler, layers.toString());
    }

    /** Loads YAML text; {@code sourceName} is what diagnostics and {@code ResourceMeta.source} name. */
    public LoadResult loadString(String yamlText, String sourceName) {
        BundleAssembler assembler = new BundleAssembler();
        addText(yamlText, sourceName, assembler);
        return result(assembler, sourceName);
    }

    /**
     * The file's text, or null with a diagnostic. Reads at most one byte past the limit, so a
     * file that is too large (or endless, like a device) costs no more than the limit.
     */
    private @Nullable String read(Path file, BundleAssembler assembler) {
        String source = file.toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(limits.maxFileBytes() + 1, Integer.MAX_VALUE - 8));
        } catch (IOException | RuntimeException e) {
            assembler.addDiagnostic(
                    DiagnosticCode.UNREADABLE_SOURCE.diagnostic(source, 0, "", "", "cannot be read: " + e));
            return null;
        }
        if (bytes.length > limits.maxFileBytes()) {
            assembler.addDiagnostic(DiagnosticCode.UNREADABLE_SOURCE.diagnostic(
                    source,
                    0,
                    "",
                    "",
                    "is " + sizeOf(file) + ", over the limit of " + Sizes.describe(limits.maxFileBytes(), "bytes")
                            + " for one YAML file; not read (expected: smaller files, e.g. one per application; "
                            + "or raise the limit with --max-file-size)"));
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            assembler.addDiagnostic(DiagnosticCode.UNREADABLE_SOURCE.diagnostic(
                    source, 0, "", "", "not UTF-8 text (expected: a UTF-8 YAML file)"));
            return null;
        }
    }

    private String sizeOf(Path file) {
        try {
            long size = Files.size(file);
            if (size > limits.maxFileBytes()) {
                return Sizes.describe(size, "bytes");
            }
        } catch (IOException | RuntimeException e) {
            // A size we cannot tell (a device, a pipe) is described by what was read.
        }
        return "more than " + Sizes.describe(limits.maxFileBytes(), "bytes");
    }

    private void addText(String text, String source, BundleAssembler assembler) {
        try {
            // One document at a time: its tree is garbage once parsed into a resource.
            yaml.parse(text, d -> assembler.add(parser.parse(d, source)));
        } catch (RuntimeException e) {
            assembler.addDiagnostic(internalError(source, e));
        }
    }

    private static LoadResult result(BundleAssembler assembler, String source) {
        try {
            return assembler.result();
        } catch (RuntimeException e) {
            return new LoadResult(MeshConfigBundle.EMPTY, List.of(internalError(source, e)));
        }
    }

    private static Diagnostic internalError(String source, RuntimeException e) {
        return DiagnosticCode.INTERNAL_ERROR.diagnostic(
                source, 0, "", "", e.getClass().getName() + ": " + e.getMessage());
    }

    private static List<Path> files(Path path, BundleAssembler assembler) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            assembler.addDiagnostic(DiagnosticCode.UNREADABLE_SOURCE.diagnostic(
                    path.toString(), 0, "", "", "does not exist (expected: a YAML file or a directory of them)"));
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(path)) {
            entries.filter(Files::isRegularFile)
                    .filter(ConfigLoader::isYaml)
                    .sorted((a, b) ->
                            a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .forEach(files::add);
        } catch (IOException | RuntimeException e) {
            assembler.addDiagnostic(
                    DiagnosticCode.UNREADABLE_SOURCE.diagnostic(path.toString(), 0, "", "", "cannot be listed: " + e));
            return List.of();
        }
        if (files.isEmpty()) {
            assembler.addDiagnostic(DiagnosticCode.UNREADABLE_SOURCE.diagnostic(
                    Severity.WARNING,
                    path.toString(),
                    0,
                    "",
                    "",
                    "no *.yaml or *.yml files (expected: a directory of mesh configuration)"));
        }
        return files;
    }

    private static boolean isYaml(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }
}
