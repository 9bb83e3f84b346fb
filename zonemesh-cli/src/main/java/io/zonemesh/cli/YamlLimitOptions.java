package io.zonemesh.cli;

import io.zonemesh.config.yaml.YamlLimits;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --max-file-size} and {@code --max-document-size}, for the commands that read the user's YAML. */
final class YamlLimitOptions {
    @Option(
            names = "--max-file-size",
            paramLabel = "SIZE",
            converter = Size.class,
            description = "Largest YAML file read, in bytes or with a Ki/Mi/Gi suffix (default: 16Mi).")
    long maxFileBytes = YamlLimits.DEFAULT_MAX_FILE_BYTES;

    @Option(
            names = "--max-document-size",
            paramLabel = "SIZE",
            converter = Size.class,
            description = "Largest YAML document (between --- markers), in characters or with a Ki/Mi/Gi suffix "
                    + "(default: 3Mi, the Kubernetes API server's limit for one object).")
    long maxDocumentChars = YamlLimits.DEFAULT_MAX_DOCUMENT_CHARS;

    YamlLimits limits() {
        if (maxDocumentChars > Integer.MAX_VALUE) {
            throw new TypeConversionException(
                    "--max-document-size: " + maxDocumentChars + " (expected: at most " + Integer.MAX_VALUE + ")");
        }
        return YamlLimits.DEFAULT.withMaxFileBytes(maxFileBytes).withMaxDocumentChars((int) maxDocumentChars);
    }

    /** A size as Kubernetes quantities write it in binary units: {@code 1048576}, {@code 512Ki}, {@code 32Mi}. */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim();
            int shift = 0;
            String lower = v.toLowerCase(Locale.ROOT);
            if (lower.endsWith("ki") || lower.endsWith("mi") || lower.endsWith("gi")) {
                shift = switch (lower.charAt(lower.length() - 2)) {
                    case 'k' -> 10;
                    case 'm' -> 20;
                    default -> 30;
                };
                v = v.substring(0, v.length() - 2);
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > (Long.MAX_VALUE >> shift)) {
                throw new TypeConversionException(
                        "'" + value + "' (expected: a positive size such as 1048576, " + "512Ki, 32Mi or 1Gi)");
            }
            return n << shift;
        }
    }
}
